import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { checkTime } from './template-checks';
import { displayTime, paragraphs } from './template-text.util';

/**
 * AUTH-3: wrong passwords or codes locked the user ID. The owner learns that someone tried, and when
 * they can sign in again; an admin can unlock it sooner. No count of attempts, no source address.
 */
export const accountLockedTemplate: MessageTemplate<'account-locked'> = {
  ja: {
    subject: () => 'IDロックのお知らせ',
    email: (p, ctx) =>
      paragraphs(
        'お客さまのIDで、パスワードまたはセキュリティコードの誤りが続いたため、IDを一時的にロックしました。',
        `${displayTime(p.until, 'ja')}以降に、あらためてログインしてください。お急ぎの場合は、管理者にロックの解除をご依頼ください。`,
        'ご自身の操作でない場合は、第三者がお客さまのIDでログインしようとした可能性があります。ロック解除後、パスワードの変更をご検討ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}ログインの失敗が続いたため、IDをロックしました。${displayTime(p.until, 'ja')}以降に、あらためてログインしてください。`,
  },
  en: {
    subject: () => 'Your user ID has been locked',
    email: (p, ctx) =>
      paragraphs(
        'Your user ID has been locked for a while after too many wrong passwords or security codes.',
        `You can sign in again after ${displayTime(p.until, 'en')}. If it is urgent, ask your administrator to unlock it.`,
        'If this was not you, someone may have tried to sign in with your user ID. Consider changing your password once it is unlocked.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}your user ID was locked after too many failed sign-ins. Try again after ${displayTime(p.until, 'en')}.`,
  },
  check: (p) => checkTime(p.until),
};
