import { checkTime } from './template-checks';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { displayTime, paragraphs } from './template-text.util';

/**
 * AUTH-16: the real outcome of a refused reset request (blocked after mismatches, or the cooldown
 * after a completed reset). The reason is not given: the requester may not be the account's owner.
 */
export const passwordResetRefusedTemplate: MessageTemplate<'password-reset-refused'> = {
  ja: {
    subject: () => 'パスワード再設定のお申し込みについて',
    email: (p, ctx) =>
      paragraphs(
        'パスワード再設定のお申し込みを受け付けましたが、現在、このIDのパスワード再設定はご利用いただけません。\n' +
          `${displayTime(p.until, 'ja')}以降に、あらためてお申し込みください。`,
        'お申し込みに心当たりがない場合は、このメールを破棄してください。パスワードは変更されていません。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}現在、パスワード再設定はご利用いただけません。${displayTime(p.until, 'ja')}以降に、あらためてお申し込みください。`,
  },
  en: {
    subject: () => 'Your password reset request',
    email: (p, ctx) =>
      paragraphs(
        `We received a request to reset your password, but resets are unavailable until ${displayTime(p.until, 'en')}.\n` +
          'Please try again after that time.',
        'If you did not request this, you can ignore this e-mail; your password has not changed.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}password resets are unavailable until ${displayTime(p.until, 'en')}. Please try again after that time.`,
  },
  check: (p) => checkTime(p.until),
};
