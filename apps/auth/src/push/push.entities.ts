import { PushApprover } from './push-approver.entity';
import { PushRequest } from './push-request.entity';

/** Entities of this area, listed in AUTH_ENTITIES. */
export const PUSH_ENTITIES: (new () => object)[] = [PushApprover, PushRequest];
