import { checkOneOf } from './template-checks';
import { Language, SMS_DISABLED_REASONS, SmsDisabledReason } from '@app/contracts';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

const WHY: Record<Language, Record<SmsDisabledReason, string>> = {
  ja: {
    line_cancelled: 'ご登録の携帯電話番号の回線が解約されたため',
    phone_removed: 'ご登録の携帯電話番号が削除されたため',
  },
  en: {
    line_cancelled: 'the phone line of your registered mobile number has been cancelled',
    phone_removed: 'your registered mobile number has been removed',
  },
};

/**
 * AUTH-19: SMS codes were switched off automatically. Sent to the contact e-mail (the phone may no
 * longer reach the user); the SMS text exists for completeness of the catalog.
 */
export const smsDisabledTemplate: MessageTemplate<'sms-disabled'> = {
  ja: {
    subject: () => 'SMSによるセキュリティコード送信停止のお知らせ',
    email: (p, ctx) =>
      paragraphs(
        `${WHY.ja[p.reason]}、SMSによるセキュリティコードの送信を停止しました。\n` +
          '今後、ログイン時などのセキュリティコードは、メールでお送りします。',
        'SMSを再びご利用になる場合は、プロフィール画面から携帯電話番号を登録してください。',
        'この変更に心当たりがない場合は、管理者または当センターまでご連絡ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}${WHY.ja[p.reason]}、SMSによるセキュリティコードの送信を停止しました。`,
  },
  en: {
    subject: () => 'Security codes by SMS have been turned off',
    email: (p, ctx) =>
      paragraphs(
        `We have stopped sending security codes by SMS because ${WHY.en[p.reason]}.\n` +
          'From now on, your security codes will be sent by e-mail.',
        'To receive codes by SMS again, register a mobile number on your profile page.',
        'If you did not expect this change, contact your administrator or us.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}security codes by SMS have been turned off because ${WHY.en[p.reason]}.`,
  },
  check: (p) => checkOneOf(p.reason, SMS_DISABLED_REASONS, 'reason'),
};
