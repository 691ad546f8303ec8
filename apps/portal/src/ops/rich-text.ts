/**
 * Case comments, articles and announcements travel as HTML the API sanitises. Operators type plain
 * text here: each blank-line-separated paragraph becomes a <p>, line breaks a <br>, and every
 * character that means something in HTML is escaped, so what was typed is what readers see.
 */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An HTML body shown as text: parsed by an inert DOMParser document (nothing in it runs or loads),
 * paragraphs and line breaks kept as new lines. The portal never inserts a body's markup itself.
 */
export function htmlToText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
  doc.querySelectorAll('p, div, li, tr, h1, h2, h3, h4').forEach((block) => block.append('\n\n'));
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
