import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, Clock, NotificationEnv } from '@app/config';
import {
  AuditEventType,
  AuditOutcome,
  LANGUAGES,
  NotificationChannel,
  NotificationJobData,
} from '@app/contracts';
import { NewAuditEvent, OutboxWriter } from '@app/database';
import { Metrics } from '@app/observability';
import { affectsAddress } from '../bounces/bounce-classifier';
import { BounceService } from '../bounces/bounce.service';
import { MessageRepository } from '../messages/message.repository';
import { DeliveryError, SendReport, SendTimeBounce } from '../providers/delivery.error';
import { EmailSender } from '../providers/email-sender';
import { SmsSender } from '../providers/sms-sender';
import { NotificationMetrics, SendOutcome } from '../queue-metrics/notification-metrics';
import { TemplateError } from '../templates/template.error';
import { TemplateRenderer } from '../templates/template-renderer';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { DeliveryOutcome } from './delivery-outcome';
import { DELIVERY_RANDOM } from './delivery-random.token';
import { DeliveryGuards } from './delivery-guards';
import { GatePass, LiveMessageGate } from './live-message.gate';
import { ProviderAcceptanceStore } from './provider-acceptance.store';
import { ProviderCircuit } from './provider-circuit';
import { retryDelayMs } from './retry-backoff.util';
import { SentRecorder } from './sent-recorder';

/**
 * How long a worker may hold a message while calling the provider. Longer than any provider call
 * can take (SMTP socket time-out 30 s, webhook 15 s), so a live claim is never taken over.
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;
/** Extra wait before looking again at a message another worker holds. */
const BUSY_RECHECK_MARGIN_MS = 1000;

/**
 * The delivery rules (NOTIF-4): never after `expiresAt`, at most once per message id, retried with
 * a capped exponential backoff (a message with an expiry until it expires, any other RETRY_ATTEMPTS
 * times), and every outcome recorded with its audit event in one transaction.
 */
@Injectable()
export class DeliveryService {
  private readonly logger: NotificationLogger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxWriter,
    private readonly renderer: TemplateRenderer,
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly metrics: Metrics,
    @Inject(DELIVERY_RANDOM) private readonly random: () => number,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
    private readonly live: LiveMessageGate,
    private readonly acceptance: ProviderAcceptanceStore,
    private readonly circuit: ProviderCircuit,
    private readonly bounces: BounceService,
    private readonly sendMetrics: NotificationMetrics,
    private readonly guards: DeliveryGuards,
    private readonly sentRecorder: SentRecorder,
  ) {
    this.logger = logger.child({ component: DeliveryService.name });
  }

  /** Processes one job of `channel`'s queue once. Throws only on infrastructure failure (DB down). */
  async deliver(
    data: NotificationJobData,
    channel: NotificationChannel,
    bulk = false,
  ): Promise<DeliveryOutcome> {
    const invalid = this.invalidJob(data, channel);
    if (invalid) {
      // Without a sound message id there is no record to write; the job fails on its own.
      this.logger.warn({ reason: invalid }, 'notification job rejected');
      return { kind: 'failed', reason: invalid };
    }
    const now = this.clock.now();

    if (data.expiresAt !== undefined && now.getTime() >= new Date(data.expiresAt).getTime()) {
      await this.messages.register(data, now);
      const expired = await this.dataSource.transaction(async (manager) => {
        const changed = await this.messages.markExpired(manager, data.messageId, now);
        if (changed) {
          await this.audit(manager, 'notification.message.expired', 'info', data, ['expired']);
        }
        return changed;
      });
      if (expired) {
        this.count('notification.message.expired');
        return { kind: 'expired' };
      }
      // Already finished, or another worker holds it: decided below like any repeat.
    }

    // The provider cannot be reached (the circuit), or a resent code supersedes this one (the live
    // slot): asked of Redis in one round trip. The claim (registering the message if new, in one
    // statement with the other workers' claims) is taken at the same time rather than after the
    // answer: a code waits for the slower of the two, not for both one after the other. When the
    // guard says no (rare), the claim is given back uncounted before its answer is acted on.
    const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
    const [entered, claimed] = await Promise.allSettled([
      this.guards.enter(data, channel, CLAIM_LEASE_MS),
      this.sentRecorder.claim(data, now, leaseUntil),
    ]);
    const gate =
      entered.status === 'fulfilled' && entered.value.kind === 'circuit_open' ? entered.value.gate : null;
    if (gate?.kind !== 'go') {
      await this.giveBack(data.messageId, claimed, leaseUntil, now);
      if (entered.status === 'rejected') {
        throw entered.reason;
      }
      if (claimed.status === 'rejected') {
        throw claimed.reason;
      }
      const guard = entered.value;
      if (guard.kind === 'paused') {
        // The job waits without trying (and without using an attempt).
        return { kind: 'paused', delayMs: this.waitBefore(data, now, this.spread(guard.delayMs)) };
      }
      if (guard.gate.kind === 'superseded') {
        // Refused however long it waited (queue or retry).
        return this.superseded(data, now);
      }
      // Another run of its slot is with the provider.
      return { kind: 'busy', delayMs: guard.gate.kind === 'wait' ? guard.gate.delayMs : 0 };
    }
    // The slot's sending mark this run holds; `send` gives it back with its other Redis steps.
    const slot: { pass: GatePass | null } = { pass: gate.pass };
    try {
      if (claimed.status === 'rejected') {
        // The database may have taken the claim and lost only the answer: say that this run, which
        // holds that lease, never called the provider, so the next run takes the claim over.
        await this.acceptance.noteUnusedClaim(data.messageId, leaseUntil).catch(() => undefined);
        throw claimed.reason;
      }
      if (claimed.value === null) {
        return await this.notClaimed(data, now);
      }
      return await this.send(data, claimed.value, leaseUntil, bulk, slot);
    } finally {
      await this.live.leave(slot.pass);
    }
  }

  /**
   * The claim taken beside a guard that said no: given back uncounted (the message stays registered).
   * If that cannot be done, or the claim's own answer was lost, the lease is noted unused, so the
   * next run takes it over instead of waiting for it to lapse and taking the message for abandoned.
   */
  private async giveBack(
    messageId: string,
    claimed: PromiseSettledResult<number | null>,
    leaseUntil: Date,
    now: Date,
  ): Promise<void> {
    if (claimed.status === 'fulfilled' && claimed.value === null) {
      return;
    }
    try {
      if (
        claimed.status === 'rejected' ||
        !(await this.messages.dropUnusedClaim(messageId, leaseUntil, now, true))
      ) {
        await this.acceptance.noteUnusedClaim(messageId, leaseUntil);
      }
    } catch {
      await this.acceptance.noteUnusedClaim(messageId, leaseUntil).catch(() => undefined);
    }
  }

  /** Never sent: a newer message of its slot exists. Recorded as expired, with the reason. */
  private async superseded(data: NotificationJobData, now: Date): Promise<DeliveryOutcome> {
    const expired = await this.dataSource.transaction(async (manager) => {
      const changed = await this.messages.markExpired(manager, data.messageId, now);
      if (changed) {
        await this.audit(manager, 'notification.message.expired', 'info', data, ['superseded']);
      }
      return changed;
    });
    if (expired) {
      this.count('notification.message.expired');
      return { kind: 'expired' };
    }
    // Already finished, or held by a worker that lost its claim: nothing more to send either way.
    const row = await this.messages.find(data.messageId);
    return { kind: 'duplicate', status: row?.status ?? 'expired' };
  }

  /**
   * `leaseUntil`: the claim this run holds (see ProviderAcceptanceStore for why it is noted);
   * `slot.pass`: the live slot's sending mark, set to null once given back.
   */
  private async send(
    data: NotificationJobData,
    attempt: number,
    leaseUntil: Date,
    bulk: boolean,
    slot: { pass: GatePass | null },
  ): Promise<DeliveryOutcome> {
    let providerMessageId: string | undefined;
    let report: void | SendReport = undefined;
    try {
      const rendered = this.renderer.render(data);
      const message = {
        messageId: data.messageId,
        template: data.template,
        to: data.to,
        text: rendered.text,
        ...(bulk ? { bulk } : {}),
      };
      const provider = data.channel === 'email' ? this.email.provider : this.sms.provider;
      const started = performance.now();
      let outcome: SendOutcome = 'error';
      try {
        if (data.channel === 'email') {
          report = await this.email.send({
            ...message,
            subject: rendered.subject ?? '',
            ...(rendered.html !== undefined ? { html: rendered.html } : {}),
            ...(rendered.from !== undefined ? { from: rendered.from } : {}),
          });
        } else {
          providerMessageId = (await this.sms.send(message))?.providerMessageId;
        }
        outcome = 'accepted';
      } catch (error) {
        outcome = error instanceof DeliveryError && error.permanent ? 'refused' : 'error';
        throw error;
      } finally {
        this.sendMetrics.observeSend(data.channel, provider, outcome, (performance.now() - started) / 1000);
      }
    } catch (error) {
      try {
        return await this.failedAttempt(data, attempt, error);
      } catch (infrastructure) {
        // The provider did not take it, and the claim could not be given back (the database is
        // away): noted, so the next run takes the claim back instead of waiting for it to lapse.
        await this.acceptance.noteUnusedClaim(data.messageId, leaseUntil).catch(() => undefined);
        throw infrastructure;
      }
    }
    const now = this.clock.now();
    // Nothing else before the record: the acceptance mark (a crash from here on still ends the
    // message `sent`, see below), the slot given back, the circuit told, in one Redis round trip.
    const resumed = await this.guards.sent(data.channel, data.messageId, now, slot.pass).then(
      (r) => {
        slot.pass = null;
        return r;
      },
      () => false,
    );
    if (resumed) {
      this.logger.warn({ channel: data.channel }, 'provider answering again; its queue resumed');
    }
    try {
      // Written with the other workers' records in one statement (SentRecorder); the job is done
      // only once it is committed. A crash before that leaves the job to run again (its lock lapses)
      // with the message still claimed: that run, or the sweeper, finds the acceptance mark and
      // records `sent` at the provider's time, never sending twice.
      const changed = await this.sentRecorder.record({
        messageId: data.messageId,
        at: now,
        providerMessageId: providerMessageId ?? null,
        fact: this.fact('notification.message.sent', 'success', data),
      });
      if (changed) {
        this.count('notification.message.sent');
      }
    } catch (error) {
      // The provider has the message; only its record failed (the database is away). The claim stays
      // held, so nothing sends it again, and the mark lets the job's next run (or the sweeper) record
      // it `sent` rather than `outcome_unknown`. The error goes on to the worker, which retries.
      await this.acceptance.note(data.messageId, now).catch(() => undefined);
      throw error;
    }
    if (report?.refused.length) {
      // Taken for some recipients, refused for others: those bounced (NOTIF-6). Best effort, the
      // message itself is sent.
      await this.sendTimeBounces(data, report.refused).catch((error: unknown) =>
        this.logger.warn(
          { messageId: data.messageId, err: error instanceof Error ? error.name : typeof error },
          'bounce not recorded',
        ),
      );
    }
    return { kind: 'sent', acceptedAt: now };
  }

  /** NOTIF-6: the SMTP server's own refusals; answers the strongest bounce type recorded. */
  private async sendTimeBounces(
    data: NotificationJobData,
    refused: SendTimeBounce[],
  ): Promise<'hard' | 'soft' | null> {
    let strongest: 'hard' | 'soft' | null = null;
    for (const { recipient, bounce } of refused) {
      const result = await this.bounces.record({
        source: 'smtp',
        messageId: data.messageId,
        bounce,
        ...(recipient ? { recipient } : {}),
      });
      if (result.status === 'recorded' && result.type === 'hard' && affectsAddress(bounce)) {
        strongest = 'hard';
      } else if (result.status === 'recorded' && result.type === 'soft' && strongest === null) {
        strongest = 'soft';
      }
    }
    return strongest;
  }

  /** `sent` and its audit event, in one transaction, if the message is still claimed and queued. */
  private async recordSent(
    data: NotificationJobData,
    now: Date,
    providerMessageId?: string,
  ): Promise<boolean> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const marked = await this.messages.markSent(manager, data.messageId, now, providerMessageId ?? null);
      if (marked) {
        await this.audit(manager, 'notification.message.sent', 'success', data);
      }
      return marked;
    });
    if (changed) {
      this.count('notification.message.sent');
    }
    return changed;
  }

  private async failedAttempt(
    data: NotificationJobData,
    attempt: number,
    error: unknown,
  ): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const { reason, permanent } = classify(error);
    if (reason === 'internal_error') {
      // Our own bug, not the provider's answer: log the class name only, the message may quote data.
      this.logger.error(
        { messageId: data.messageId, err: error instanceof Error ? error.name : typeof error },
        'delivery crashed',
      );
    }
    if (error instanceof DeliveryError && error.unreachable) {
      const { paused, newly } = await this.circuit
        .failure(data.channel)
        .catch(() => ({ paused: false, newly: false }));
      if (newly) {
        this.logger.warn({ channel: data.channel, reason }, 'provider unreachable; its queue is paused');
      }
      if (paused) {
        // An outage, not this message's fault: the try is not counted and the message waits for the
        // provider with the rest of its queue (a code still no longer than its expiry).
        await this.messages.release(data.messageId, now, reason, true);
        const delayMs = this.waitBefore(data, now, this.spread(this.config.PROVIDER_PROBE_INTERVAL_MS));
        this.logger.warn({ messageId: data.messageId, reason, delayMs }, 'provider unreachable; waiting');
        return { kind: 'retry', delayMs, reason };
      }
    } else if (error instanceof DeliveryError) {
      // It answered, if only with a refusal: it is reachable.
      await this.providerAnswered(data.channel);
    }
    // A message with an expiry (a security code) is worth sending for as long as it is valid, so it
    // has no attempt budget: it is retried until `expiresAt`, when its next run ends it `expired`.
    // Giving up earlier would lose a code the user is still waiting for, over a short provider outage.
    if (error instanceof DeliveryError && error.bounces.length > 0 && data.channel === 'email') {
      // A refusal by the mail server is a bounce (NOTIF-6): a hard one ends the message `bounced`
      // and marks the address; soft ones are retried below until they have gone on for days.
      if ((await this.sendTimeBounces(data, error.bounces)) === 'hard') {
        return { kind: 'failed', reason };
      }
    }
    const expiresAt = data.expiresAt === undefined ? undefined : new Date(data.expiresAt).getTime();
    if (permanent || (expiresAt === undefined && attempt >= this.config.RETRY_ATTEMPTS)) {
      await this.fail(data, now, reason);
      return { kind: 'failed', reason };
    }
    await this.messages.release(data.messageId, now, reason);
    const delayMs = this.waitBefore(
      data,
      now,
      retryDelayMs(attempt, this.config.RETRY_MAX_DELAY_MS, this.random),
    );
    this.logger.warn({ messageId: data.messageId, attempt, reason, delayMs }, 'delivery failed; will retry');
    return { kind: 'retry', delayMs, reason };
  }

  /** Never later than the expiry itself, so an expired code is closed as soon as it expires. */
  private waitBefore(data: NotificationJobData, now: Date, delayMs: number): number {
    if (data.expiresAt === undefined) {
      return delayMs;
    }
    return Math.max(0, Math.min(delayMs, new Date(data.expiresAt).getTime() - now.getTime()));
  }

  /** Up to a quarter more, so the jobs of a paused queue do not all wake at the same instant. */
  private spread(delayMs: number): number {
    return Math.round(delayMs * (1 + this.random() / 4));
  }

  /** The provider answered: its queue's failure count is reset (and a paused queue resumes). */
  private async providerAnswered(channel: NotificationChannel): Promise<void> {
    const resumed = await this.circuit.success(channel).catch(() => false);
    if (resumed) {
      this.logger.warn({ channel }, 'provider answering again; its queue resumed');
    }
  }

  /** The message is finished, held by another worker, or was abandoned mid-send by a dead one. */
  private async notClaimed(data: NotificationJobData, now: Date): Promise<DeliveryOutcome> {
    const row = await this.messages.find(data.messageId);
    if (!row) {
      throw new Error('message record vanished');
    }
    if (row.status !== 'queued') {
      return { kind: 'duplicate', status: row.status };
    }
    // Sent by an earlier run whose record failed: record it now, whether or not its claim has lapsed.
    const acceptedAt = row.claimedUntil ? await this.acceptance.acceptedAt(data.messageId) : null;
    // This run did not call the provider, so it answers `duplicate` either way: `sent` is the answer
    // of the one run that did (which may still be alive, its record waiting in SentRecorder's batch).
    if (acceptedAt) {
      if (await this.recordSent(data, acceptedAt)) {
        return { kind: 'duplicate', status: 'sent' };
      }
      const again = await this.messages.find(data.messageId);
      return { kind: 'duplicate', status: again?.status ?? 'sent' };
    }
    // Claimed by an earlier run that lost the claim's answer and never called the provider: the
    // claim is given back and the job runs again at once, under the usual rules (expiry included).
    const unused = row.claimedUntil
      ? await this.acceptance.unusedClaim(data.messageId, row.claimedUntil)
      : null;
    if (
      row.claimedUntil &&
      unused?.getTime() === row.claimedUntil.getTime() &&
      (await this.messages.dropUnusedClaim(data.messageId, unused, now))
    ) {
      return { kind: 'busy', delayMs: 0 };
    }
    if (row.claimedUntil && row.claimedUntil.getTime() > now.getTime()) {
      return { kind: 'busy', delayMs: row.claimedUntil.getTime() - now.getTime() + BUSY_RECHECK_MARGIN_MS };
    }
    const abandoned = await this.dataSource.transaction(async (manager) => {
      const changed = await this.messages.markAbandoned(manager, data.messageId, now);
      if (changed) {
        await this.audit(manager, 'notification.message.failed', 'failure', data, ['outcome_unknown']);
      }
      return changed;
    });
    if (abandoned) {
      this.count('notification.message.failed');
      return { kind: 'failed', reason: 'outcome_unknown' };
    }
    const again = await this.messages.find(data.messageId);
    return { kind: 'duplicate', status: again?.status ?? 'failed' };
  }

  private async fail(data: NotificationJobData, now: Date, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await this.messages.markFailed(manager, data.messageId, now, reason)) {
        await this.audit(manager, 'notification.message.failed', 'failure', data, [reason]);
      }
    });
    this.count('notification.message.failed');
    this.logger.warn({ messageId: data.messageId, reason }, 'delivery failed for good');
  }

  /**
   * The audit event names the message, channel and template, never the recipient or the body. The
   * user the message is for is the actor, so it shows in that user's and tenants' audit views.
   */
  private async audit(
    manager: EntityManager,
    type: AuditEventType,
    outcome: AuditOutcome,
    data: NotificationJobData,
    reasons: string[] = [],
  ): Promise<void> {
    await this.outbox.record(manager, this.fact(type, outcome, data, reasons));
  }

  private fact(
    type: AuditEventType,
    outcome: AuditOutcome,
    data: NotificationJobData,
    reasons: string[] = [],
  ): NewAuditEvent {
    return {
      type,
      outcome,
      actor: data.userId ? { userId: data.userId } : {},
      target: { type: 'notification.message', id: data.messageId },
      reasons: [`channel:${data.channel}`, `template:${data.template}`, ...reasons],
      ...(data.tenants?.length ? { tenants: data.tenants } : {}),
    };
  }

  private count(name: AuditEventType): void {
    this.metrics.events.inc({ name });
  }

  /** Jobs come from our own typed producer; this guards against anything else on the queue. */
  private invalidJob(data: NotificationJobData, channel: NotificationChannel): string | null {
    if (typeof data?.messageId !== 'string' || data.messageId.length === 0 || data.messageId.length > 200) {
      return 'invalid_message_id';
    }
    if (data.channel !== channel) {
      return 'wrong_queue';
    }
    if (
      !Array.isArray(data.to) ||
      data.to.length === 0 ||
      !data.to.every((t) => typeof t === 'string' && t.length > 0)
    ) {
      return 'invalid_recipients';
    }
    if (!(LANGUAGES as readonly string[]).includes(data.language)) {
      return 'invalid_language';
    }
    if (data.expiresAt !== undefined && Number.isNaN(new Date(data.expiresAt).getTime())) {
      return 'invalid_expiry';
    }
    return null;
  }
}

function classify(error: unknown): { reason: string; permanent: boolean } {
  if (error instanceof DeliveryError) {
    return { reason: error.reason, permanent: error.permanent };
  }
  if (error instanceof TemplateError) {
    return { reason: `template_${error.reason}`, permanent: true };
  }
  return { reason: 'internal_error', permanent: false };
}
