import { Language, MFA_CHANGES, MfaChange } from '@app/contracts';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { checkOneOf } from './template-checks';
import { paragraphs } from './template-text.util';

const WHAT: Record<Language, Record<MfaChange, string>> = {
  ja: {
    totp_added: '認証アプリが登録されました',
    totp_removed: '認証アプリの登録が解除されました',
    passkey_added: 'パスキーが登録されました',
    passkey_removed: 'パスキーが削除されました',
  },
  en: {
    totp_added: 'An authenticator app was added',
    totp_removed: 'The authenticator app was removed',
    passkey_added: 'A passkey was added',
    passkey_removed: 'A passkey was removed',
  },
};

/**
 * The user changed a second factor of their account. The owner learns of a change that would let
 * someone else sign in (or stop them from doing so); which device it was is seen in the portal.
 */
export const mfaChangedTemplate: MessageTemplate<'mfa-changed'> = {
  ja: {
    subject: () => '多要素認証の設定変更のお知らせ',
    email: (p, ctx) =>
      paragraphs(
        `お客さまのIDの多要素認証の設定が変更されました：${WHAT.ja[p.change]}。`,
        'この変更に心当たりがない場合は、第三者に不正に操作された可能性があります。至急、パスワードを変更し、管理者または当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}多要素認証の設定が変更されました（${WHAT.ja[p.change]}）。心当たりがない場合は、至急ご連絡ください。`,
  },
  en: {
    subject: () => 'Your sign-in settings have changed',
    email: (p, ctx) =>
      paragraphs(
        `The multi-factor settings of your account have changed: ${WHAT.en[p.change].toLowerCase()}.`,
        'If you did not make this change, someone else may have access to your account. Change your password and contact your administrator or us immediately.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}${WHAT.en[p.change].toLowerCase()} on your account. If this was not you, contact us immediately.`,
  },
  check: (p) => checkOneOf(p.change, MFA_CHANGES, 'change'),
};
