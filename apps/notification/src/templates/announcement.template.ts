import { TemplateParams } from '@app/contracts';
import { emailFooter, smsPrefix } from './footers';
import { MessageTemplate } from './message-template';
import { TemplateError } from './template.error';
import { displayTime, paragraphs } from './template-text.util';

/** CASE-10: `KB` + 7 digits; anything else in a notice would be a value that is not an article number. */
const KB_NUMBER = /^KB[0-9]{7}$/;
/** What the case service sends at most (it shortens the body); longer is not a message of ours. */
const MAX_TITLE = 200;
const MAX_EXCERPT = 2000;

/**
 * CASE-11: an operator published an announcement (a maintenance notice, a new specification) and
 * mailed it to its audience, in each recipient's language. The mail tells the title, the start of the
 * text and when it is shown; the whole of it, and the article it points to, are read in the portal.
 * Sent through the bulk queue, below security codes.
 */
export const announcementTemplate: MessageTemplate<'announcement'> = {
  ja: {
    subject: (p) => `【お知らせ】${p.title}`,
    email: (p, ctx) =>
      paragraphs(
        'ポータルサイトに新しいお知らせを掲載しました。',
        `件名：${p.title}\n掲載期間：${displayTime(p.from, 'ja')} ～ ${displayTime(p.to, 'ja')}`,
        p.excerpt,
        ...(p.article ? [`関連記事：${p.article}（ポータルサイトのナレッジからご覧ください）`] : []),
        '詳細はポータルサイトのお知らせからご確認ください。',
        ...emailFooter('ja', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('ja', ctx)}お知らせ：${p.title}`,
  },
  en: {
    subject: (p) => `[Announcement] ${p.title}`,
    email: (p, ctx) =>
      paragraphs(
        'A new announcement has been published in the portal.',
        `Title: ${p.title}\nShown: ${displayTime(p.from, 'en')} to ${displayTime(p.to, 'en')}`,
        p.excerpt,
        ...(p.article ? [`Related article: ${p.article} (in the portal's knowledge base)`] : []),
        'See the announcements in the portal for the details.',
        ...emailFooter('en', ctx),
      ),
    sms: (p, ctx) => `${smsPrefix('en', ctx)}announcement: ${p.title}`,
  },
  check: (p) => checkAnnouncementParams(p),
};

/** The producer is typed, but the queue is not: a bad value must not reach a recipient. */
export function checkAnnouncementParams(p: TemplateParams['announcement']): void {
  if (typeof p.title !== 'string' || p.title.length === 0 || p.title.length > MAX_TITLE) {
    throw new TemplateError('invalid_title_parameter');
  }
  if (typeof p.excerpt !== 'string' || p.excerpt.length > MAX_EXCERPT) {
    throw new TemplateError('invalid_excerpt_parameter');
  }
  if (p.article !== undefined && (typeof p.article !== 'string' || !KB_NUMBER.test(p.article))) {
    throw new TemplateError('invalid_article_parameter');
  }
}
