import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { displayTime, paragraphs } from './template-text.util';

/** CASE-7: a work request was rejected; the operator's reason is the customer's to read. */
export const workRequestRejectedTemplate: MessageTemplate<'work-request-rejected'> = {
  ja: {
    subject: (p) => `【${p.itemCode}】作業依頼を却下しました`,
    email: (p, ctx) =>
      paragraphs(
        '誠に恐れ入りますが、次の作業依頼はお受けできませんでした。',
        `依頼項目：${p.itemCode} ${p.itemName}\n受付日時：${displayTime(p.submittedAt, 'ja')}`,
        `理由：\n${p.reason}`,
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}作業依頼（${p.itemCode}）を却下しました。理由はポータルでご確認ください。`,
  },
  en: {
    subject: (p) => `[${p.itemCode}] Your work request has been rejected`,
    email: (p, ctx) =>
      paragraphs(
        'We are sorry: the work request below could not be accepted.',
        `Item: ${p.itemCode} ${p.itemName}\nReceived: ${displayTime(p.submittedAt, 'en')}`,
        `Reason:\n${p.reason}`,
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('en', ctx)}work request ${p.itemCode} was rejected; see the portal for why.`,
  },
};
