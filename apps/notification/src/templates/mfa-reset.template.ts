import { checkCaseNumber } from './template-checks';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

/**
 * AUTH-19: an operator reset the user's MFA after an identity check. The case number lets the user
 * tell a request of their own from one they never made.
 */
export const mfaResetTemplate: MessageTemplate<'mfa-reset'> = {
  ja: {
    subject: () => '2段階認証の設定リセットのお知らせ',
    email: (p, ctx) =>
      paragraphs(
        `お問い合わせ（受付番号：${p.caseNumber}）にもとづき、お客さまの2段階認証の設定をリセットしました。\n` +
          '認証アプリと承認用アプリの登録を解除し、信頼済みとして登録されていたブラウザーもすべて解除しています。',
        '次回のログインでは、メールまたはSMSでお送りするセキュリティコードでご本人確認を行ってください。認証アプリをお使いになる場合は、あらためて登録してください。',
        'このお問い合わせに心当たりがない場合は、第三者がお客さまになりすましている可能性があります。至急、当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}お問い合わせ（受付番号：${p.caseNumber}）にもとづき、2段階認証の設定をリセットしました。心当たりがない場合は、至急ご連絡ください。`,
  },
  en: {
    subject: () => 'Your two-step verification has been reset',
    email: (p, ctx) =>
      paragraphs(
        `As requested in case ${p.caseNumber}, we have reset the two-step verification of your account.\n` +
          'Your authenticator app and approver apps have been removed, and no browser is trusted any more.',
        'Next time you sign in, confirm it is you with a security code sent by e-mail or SMS. To use an authenticator app, set it up again.',
        'If you did not make this request, someone may be impersonating you. Contact us immediately.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}as requested in case ${p.caseNumber}, your two-step verification has been reset. If you did not ask for this, contact us immediately.`,
  },
  check: (p) => checkCaseNumber(p.caseNumber),
};
