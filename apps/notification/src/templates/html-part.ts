import { Language } from '@app/contracts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A URL in the text; it ends at white space or a character that cannot end one in our texts. */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'、。「」（）]+/g;

/**
 * The HTML part of an e-mail, made from its plain text so both always say the same thing (NOTIF-3).
 * Every value is escaped; nothing is loaded from elsewhere (no images, style sheets or fonts: a
 * remote resource would tell a third party when the mail is read). Only links to the portal
 * (`portalUrl`) become clickable, and a link shows its own address, so no text can disguise one.
 */
export function htmlPart(subject: string, text: string, language: Language, portalUrl: string): string {
  const body = text
    .trim()
    .split(/\n{2,}/)
    .map(
      (paragraph) =>
        `<p>${paragraph
          .split('\n')
          .map((line) => linkify(line, portalUrl))
          .join('<br>\n')}</p>`,
    )
    .join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="font-family: sans-serif; line-height: 1.6; color: #222;">',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function linkify(line: string, portalUrl: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const url = match[0];
    const at = match.index ?? 0;
    out += escapeHtml(line.slice(last, at));
    out += url.startsWith(portalUrl)
      ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`
      : escapeHtml(url);
    last = at + url.length;
  }
  return out + escapeHtml(line.slice(last));
}
