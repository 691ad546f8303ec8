import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

/** AUTH-16: a reset was completed; every session was ended with it. */
export const passwordResetCompletedTemplate: MessageTemplate<'password-reset-completed'> = {
  ja: {
    subject: () => 'パスワード再設定完了のお知らせ',
    email: (_p, ctx) =>
      paragraphs(
        'パスワードの再設定が完了しました。\n' +
          '安全のため、すべての端末でログアウトしています。新しいパスワードで、あらためてログインしてください。',
        'この操作に心当たりがない場合は、第三者に不正に操作された可能性があります。至急、管理者または当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (_p, ctx) =>
      `${smsPrefix('ja', ctx)}パスワードの再設定が完了しました。心当たりがない場合は、至急、管理者または当センターまでご連絡ください。`,
  },
  en: {
    subject: () => 'Your password has been reset',
    email: (_p, ctx) =>
      paragraphs(
        'Your password has been reset.\n' +
          'For your security, you have been signed out on every device. Please sign in again with your new password.',
        'If you did not do this, someone else may have access to your account. Contact your administrator or us immediately.',
        ...emailFooter('en', ctx),
      ),
    sms: (_p, ctx) =>
      `${smsPrefix('en', ctx)}your password has been reset. If you did not do this, contact your administrator or us immediately.`,
  },
};
