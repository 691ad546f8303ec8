import { randomUUID } from 'node:crypto';
import { NotificationJob, TemplateName, TemplateParams } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { User } from './user.entity';

/**
 * An e-mail about the account to its registered address, in the user's language (AUTH-20), tagged
 * with the user's tenants so each tenant's trail shows it. `expiresAt`: not worth sending after it.
 */
export function accountEmailJob<T extends TemplateName>(
  user: User,
  tenants: string[],
  template: T,
  params: TemplateParams[T],
  expiresAt?: Date,
): NotificationJob {
  return {
    name: template,
    data: {
      messageId: randomUUID(),
      channel: 'email',
      template,
      language: user.language,
      to: [user.email],
      params,
      correlationId: RequestContext.requestId(),
      userId: user.id,
      tenants,
      ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    },
  } as NotificationJob;
}
