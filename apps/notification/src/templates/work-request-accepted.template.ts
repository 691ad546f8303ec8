import { checkCaseNumber } from './template-checks';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { displayTime, paragraphs } from './template-text.util';

/** CASE-7: a work request was accepted; the work goes on in the case it opened, named by number. */
export const workRequestAcceptedTemplate: MessageTemplate<'work-request-accepted'> = {
  ja: {
    subject: (p) => `【${p.caseNumber}】作業依頼を受理しました`,
    email: (p, ctx) =>
      paragraphs(
        '作業依頼を受理しました。以降のやり取りは次のお問い合わせで行います。',
        `依頼項目：${p.itemCode} ${p.itemName}\n受付日時：${displayTime(p.submittedAt, 'ja')}\n受付番号：${p.caseNumber}`,
        '詳細はポータルサイトのお問い合わせ一覧からご確認ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) =>
      `${smsPrefix('ja', ctx)}作業依頼（${p.itemCode}）を受理しました。受付番号${p.caseNumber}。`,
  },
  en: {
    subject: (p) => `[${p.caseNumber}] Your work request has been accepted`,
    email: (p, ctx) =>
      paragraphs(
        'Your work request has been accepted. The work continues in the case below.',
        `Item: ${p.itemCode} ${p.itemName}\nReceived: ${displayTime(p.submittedAt, 'en')}\nCase: ${p.caseNumber}`,
        'See the case list in the portal for the details.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('en', ctx)}work request ${p.itemCode} accepted as case ${p.caseNumber}.`,
  },
  check: (p) => checkCaseNumber(p.caseNumber),
};
