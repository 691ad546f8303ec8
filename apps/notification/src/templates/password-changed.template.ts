import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

/** AUTH-17: the user changed their password; their other sessions were ended with it. */
export const passwordChangedTemplate: MessageTemplate<'password-changed'> = {
  ja: {
    subject: () => 'パスワード変更のお知らせ',
    email: (_p, ctx) =>
      paragraphs(
        'お客さまのIDのパスワードが変更されました。\n' +
          '安全のため、変更の操作を行った端末以外では、すべてログアウトしています。新しいパスワードで、あらためてログインしてください。',
        'この操作に心当たりがない場合は、第三者に不正に操作された可能性があります。至急、パスワードを再設定し、管理者または当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (_p, ctx) =>
      `${smsPrefix('ja', ctx)}パスワードが変更されました。心当たりがない場合は、至急、管理者または当センターまでご連絡ください。`,
  },
  en: {
    subject: () => 'Your password has been changed',
    email: (_p, ctx) =>
      paragraphs(
        'The password of your account has been changed.\n' +
          'For your security, you have been signed out on every device except the one used for the change. Please sign in again there with your new password.',
        'If you did not do this, someone else may have access to your account. Reset your password and contact your administrator or us immediately.',
        ...emailFooter('en', ctx),
      ),
    sms: (_p, ctx) =>
      `${smsPrefix('en', ctx)}your password has been changed. If you did not do this, contact your administrator or us immediately.`,
  },
};
