import { checkCaseNumber, checkOneOf } from './template-checks';
import { CASE_UPDATE_EVENTS, CaseUpdateEvent } from '@app/contracts';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { paragraphs } from './template-text.util';

const JA_SUBJECT: Record<CaseUpdateEvent, string> = {
  created: 'お問い合わせを受け付けました',
  operator_reply: 'お問い合わせに回答がありました',
  status_changed: 'お問い合わせのステータスが変わりました',
};
const EN_SUBJECT: Record<CaseUpdateEvent, string> = {
  created: 'Your case has been received',
  operator_reply: 'There is a reply on your case',
  status_changed: 'The status of your case has changed',
};

/**
 * CASE-6: a case was opened, the provider replied or its status changed. Every message names the case
 * number, which is how customers and the provider refer to a case; the details are read in the
 * portal, where the reader's access is checked.
 */
export const caseUpdateTemplate: MessageTemplate<'case-update'> = {
  ja: {
    subject: (p) => `【${p.caseNumber}】${JA_SUBJECT[p.event]}`,
    email: (p, ctx) =>
      paragraphs(
        `${JA_SUBJECT[p.event]}。`,
        `受付番号：${p.caseNumber}\n件名：${p.subject}\nステータス：${p.status}`,
        ...(p.excerpt ? [`回答（抜粋）：\n${p.excerpt}`] : []),
        '詳細はポータルサイトのお問い合わせ一覧からご確認ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('ja', ctx)}受付番号${p.caseNumber}：${JA_SUBJECT[p.event]}。`,
  },
  en: {
    subject: (p) => `[${p.caseNumber}] ${EN_SUBJECT[p.event]}`,
    email: (p, ctx) =>
      paragraphs(
        `${EN_SUBJECT[p.event]}.`,
        `Case: ${p.caseNumber}\nSubject: ${p.subject}\nStatus: ${p.status}`,
        ...(p.excerpt ? [`Reply (excerpt):\n${p.excerpt}`] : []),
        'See the case list in the portal for the details.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('en', ctx)}case ${p.caseNumber}: ${EN_SUBJECT[p.event].toLowerCase()}.`,
  },
  check: (p) => {
    checkCaseNumber(p.caseNumber);
    checkOneOf(p.event, CASE_UPDATE_EVENTS, 'event');
  },
};
