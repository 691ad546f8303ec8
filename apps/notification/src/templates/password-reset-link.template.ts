import { checkTime } from './template-checks';
import { TemplateError } from './template.error';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { displayTime, paragraphs } from './template-text.util';

/** AUTH-16: the single-use reset link, with its expiry. */
export const passwordResetLinkTemplate: MessageTemplate<'password-reset-link'> = {
  ja: {
    subject: () => 'パスワード再設定のご案内',
    email: (p, ctx) =>
      paragraphs(
        'パスワード再設定のお申し込みを受け付けました。\n次のURLにアクセスし、新しいパスワードを設定してください。',
        p.link,
        `このURLは${displayTime(p.expiresAt, 'ja')}まで有効で、一度だけご利用いただけます。\n` +
          '有効期限が過ぎた場合は、お手数ですが、あらためてお申し込みください。',
        'お申し込みに心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}パスワード再設定用のURLです（${displayTime(p.expiresAt, 'ja')}まで有効）。${p.link}`,
  },
  en: {
    subject: () => 'Reset your password',
    email: (p, ctx) =>
      paragraphs(
        'We received a request to reset your password.\nOpen the link below to set a new password:',
        p.link,
        `The link is valid until ${displayTime(p.expiresAt, 'en')} and can be used only once.\n` +
          'If it has expired, please request a new one.',
        'If you did not request this, you can ignore this e-mail; your password will not change.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}reset your password with this link, valid until ${displayTime(p.expiresAt, 'en')}: ${p.link}`,
  },
  // Anyone who can put a job in Redis must not send users a link to another site: the link is the
  // portal's reset page and a token, nothing else.
  check: (p, ctx) => {
    const prefix = `${ctx.portalUrl}password-reset/`;
    const token =
      typeof p.link === 'string' && p.link.startsWith(prefix) ? p.link.slice(prefix.length) : undefined;
    if (token === undefined || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
      throw new TemplateError('invalid_link_parameter');
    }
    checkTime(p.expiresAt);
  },
};
