import { checkOneOf } from './template-checks';
import { CONTACT_FIELDS, ContactField, Language } from '@app/contracts';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

const WHAT: Record<Language, Record<ContactField, string>> = {
  ja: { email: 'メールアドレス', phone: '携帯電話番号' },
  en: { email: 'e-mail address', phone: 'mobile number' },
};

/**
 * The e-mail address or the phone number of the account was changed. Sent to the OLD address or
 * number: the owner learns of a change that would otherwise send their codes and links elsewhere
 * without a word. It names neither the old nor the new value.
 */
export const contactChangedTemplate: MessageTemplate<'contact-changed'> = {
  ja: {
    subject: (p) => `${WHAT.ja[p.field]}変更のお知らせ`,
    email: (p, ctx) =>
      paragraphs(
        `お客さまのIDに登録されている${WHAT.ja[p.field]}が変更されました。このアドレスには、今後お知らせやセキュリティコードをお送りしません。`,
        'この変更に心当たりがない場合は、第三者に不正に操作された可能性があります。至急、管理者または当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}ご登録の${WHAT.ja[p.field]}が変更されました。心当たりがない場合は、至急、管理者または当センターまでご連絡ください。`,
  },
  en: {
    subject: (p) => `Your ${WHAT.en[p.field]} has been changed`,
    email: (p, ctx) =>
      paragraphs(
        `The ${WHAT.en[p.field]} registered for your account has been changed. Notices and security codes will no longer be sent here.`,
        'If you did not expect this change, someone else may have access to your account. Contact your administrator or us immediately.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}the ${WHAT.en[p.field]} of your account has been changed. If you did not expect this, contact your administrator or us immediately.`,
  },
  check: (p) => checkOneOf(p.field, CONTACT_FIELDS, 'field'),
};
