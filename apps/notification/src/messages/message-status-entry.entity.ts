import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MessageStatus } from './message.entity';

/**
 * One status a message reached (NOTIF-5), written with the status change in one statement or
 * transaction (MessageRepository), so the history and the message never disagree.
 */
@Entity({ name: 'message_status' })
export class MessageStatusEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'message_id' })
  messageId!: string;

  @Column({ type: 'text' })
  status!: MessageStatus;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** A short code (`smtp_550`, `twilio_30003`, `outcome_unknown`); never an address or a body. */
  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;
}
