import { IsUUID } from 'class-validator';

/**
 * A login flow id in the path. Flow ids are uuids; anything else cannot name a flow and is refused
 * as malformed (400) before reaching auth, which answers `410 flow_expired` for unknown ones.
 */
export class FlowIdParam {
  @IsUUID('all', { message: 'flowId must be a login flow id' })
  flowId!: string;
}
