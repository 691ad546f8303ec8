import { accountLockedTemplate } from './account-locked.template';
import { announcementTemplate } from './announcement.template';
import { caseUpdateTemplate } from './case-update.template';
import { contactChangedTemplate } from './contact-changed.template';
import { TemplateCatalog } from './message-template';
import { mfaChangedTemplate } from './mfa-changed.template';
import { mfaResetTemplate } from './mfa-reset.template';
import { passwordChangedTemplate } from './password-changed.template';
import { passwordResetCompletedTemplate } from './password-reset-completed.template';
import { passwordResetLinkTemplate } from './password-reset-link.template';
import { passwordResetRefusedTemplate } from './password-reset-refused.template';
import { securityCodeTemplate } from './security-code.template';
import { smsDisabledTemplate } from './sms-disabled.template';
import { workRequestAcceptedTemplate } from './work-request-accepted.template';
import { workRequestReceivedTemplate } from './work-request-received.template';
import { workRequestRejectedTemplate } from './work-request-rejected.template';

/**
 * Every message type's template (NOTIF-3). A new type is its parameters in TemplateParams
 * (libs/contracts), one `<name>.template.ts` file, and one line here; the mapped type makes the
 * compiler refuse a type without a template, or a template whose texts do not fit its parameters.
 */
export const TEMPLATES: TemplateCatalog = {
  'security-code': securityCodeTemplate,
  'password-reset-link': passwordResetLinkTemplate,
  'password-reset-refused': passwordResetRefusedTemplate,
  'password-reset-completed': passwordResetCompletedTemplate,
  'password-changed': passwordChangedTemplate,
  'sms-disabled': smsDisabledTemplate,
  'mfa-reset': mfaResetTemplate,
  'contact-changed': contactChangedTemplate,
  'case-update': caseUpdateTemplate,
  'mfa-changed': mfaChangedTemplate,
  'account-locked': accountLockedTemplate,
  'work-request-received': workRequestReceivedTemplate,
  'work-request-accepted': workRequestAcceptedTemplate,
  'work-request-rejected': workRequestRejectedTemplate,
  announcement: announcementTemplate,
};
