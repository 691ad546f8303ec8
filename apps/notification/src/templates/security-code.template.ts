import { TemplateError } from './template.error';
import { sixDigitRuns } from './template-text.util';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

// The code must be the only run of exactly six digits in the subject and body (API.md "Running"), so
// nothing else here is ever printed as a long number: minutes are a small count, no dates, no ids.
// TemplateRenderer checks it again on every rendering.

function minutes(n: number): number {
  return Math.max(1, Math.round(n));
}

/** AUTH-6: a one-time code for a login or step-up second step. */
export const securityCodeTemplate: MessageTemplate<'security-code'> = {
  ja: {
    subject: () => 'セキュリティコードのお知らせ',
    email: (p, ctx) =>
      paragraphs(
        'ご本人確認のためのセキュリティコードをお知らせします。',
        `セキュリティコード：${p.code}`,
        `有効期限は${minutes(p.expiresInMinutes)}分です。お手続き中の画面に、このコードを入力してください。\n` +
          'セキュリティコードは、他の人に絶対に教えないでください。当センターからお客さまにセキュリティコードをお尋ねすることはありません。',
        'このメールに心当たりがない場合は、第三者がお客さまのIDでログインしようとしている可能性があります。コードは入力せず、パスワードの変更をご検討ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}セキュリティコード：${p.code}（有効期限${minutes(p.expiresInMinutes)}分）。このコードは他の人に教えないでください。`,
  },
  en: {
    subject: () => 'Your security code',
    email: (p, ctx) => {
      const n = minutes(p.expiresInMinutes);
      return paragraphs(
        'Here is your security code to confirm that it is you:',
        p.code,
        `It expires in ${n} ${n === 1 ? 'minute' : 'minutes'}. Enter it on the screen where you requested it.\n` +
          'Never share this code with anyone. We will never ask you for it.',
        'If you did not request this code, someone may be trying to sign in with your user ID. Do not enter the code, and consider changing your password.',
        ...emailFooter('en', ctx),
      );
    },
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}your security code is ${p.code}. It expires in ${minutes(p.expiresInMinutes)} min. Never share it with anyone.`,
  },
  check: (p) => {
    if (typeof p.code !== 'string' || !/^\d{6}$/.test(p.code)) {
      throw new TemplateError('invalid_code_parameter');
    }
    if (typeof p.expiresInMinutes !== 'number' || !Number.isFinite(p.expiresInMinutes)) {
      throw new TemplateError('invalid_expiry_parameter');
    }
  },
  // Readers (people and the e2e tests) find the code as the only 6-digit run (API.md "Running"). A
  // sender name that adds another one would make the message ambiguous: refuse to send.
  checkRendered: (rendered, p) => {
    const runs = sixDigitRuns(rendered);
    if (runs.length !== 1 || runs[0] !== p.code) {
      throw new TemplateError('code_not_unique_in_message');
    }
  },
};
