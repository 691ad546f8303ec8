import { TemplateError } from './template.error';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { displayTime, paragraphs } from './template-text.util';

/** A multi-line value, indented under its label so the echo reads as one block per field. */
function echo(fields: { label: string; value: string }[], empty: string): string {
  return fields
    .map((f) => `${f.label}:\n  ${(f.value === '' ? empty : f.value).replace(/\r?\n/g, '\n  ')}`)
    .join('\n');
}

/**
 * CASE-7: a work request was received. Echoes what was submitted (the recipient is the submitter), so
 * the customer holds a record of their order; the decision follows in another message.
 */
export const workRequestReceivedTemplate: MessageTemplate<'work-request-received'> = {
  ja: {
    subject: (p) => `【${p.itemCode}】作業依頼を受け付けました`,
    email: (p, ctx) =>
      paragraphs(
        '以下の内容で作業依頼を受け付けました。内容を確認のうえ、受理または却下をご連絡いたします。',
        `依頼項目：${p.itemCode} ${p.itemName}\n受付日時：${displayTime(p.submittedAt, 'ja')}`,
        echo(p.fields, '（未入力）'),
        '依頼の状況はポータルサイトの作業依頼一覧からご確認ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('ja', ctx)}作業依頼（${p.itemCode}）を受け付けました。`,
  },
  en: {
    subject: (p) => `[${p.itemCode}] Your work request has been received`,
    email: (p, ctx) =>
      paragraphs(
        'We have received your work request below. We will let you know whether it is accepted.',
        `Item: ${p.itemCode} ${p.itemName}\nReceived: ${displayTime(p.submittedAt, 'en')}`,
        echo(p.fields, '(not given)'),
        'See the work requests in the portal for their status.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('en', ctx)}your work request ${p.itemCode} has been received.`,
  },
  check: (p) => {
    if (!Array.isArray(p.fields)) {
      throw new TemplateError('invalid_fields_parameter');
    }
  },
};
