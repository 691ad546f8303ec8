/** Elements whose content is never text to read, and elements that load or run something. */
const DROP = 'script, style, iframe, object, embed, link, meta, base, form, img, svg, math, template';
const SAFE_LINK = /^(https?:|mailto:)/i;

/**
 * Comments, descriptions, articles and announcements arrive as HTML the API has already cleaned
 * against its allow-list (CASE-6). Before it goes into the page it is parsed inertly (DOMParser runs
 * no script and loads nothing) and cleaned once more here, so a fault in one layer is not enough:
 * no loading or running elements, no event handlers, only http(s)/mailto links, each opening apart.
 */
export function safeHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.body.querySelectorAll(DROP).forEach((element) => element.remove());
  doc.body.querySelectorAll('*').forEach((element) => {
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name === 'src' || name === 'srcset' || name === 'action') {
        element.removeAttribute(attribute.name);
      }
    }
    if (element.tagName === 'A') {
      const href = element.getAttribute('href') ?? '';
      if (!SAFE_LINK.test(href.trim())) {
        element.removeAttribute('href');
      }
      element.setAttribute('rel', 'noopener noreferrer nofollow');
      element.setAttribute('target', '_blank');
    }
  });
  return doc.body.innerHTML;
}

export function RichText({ html, className }: { html: string; className?: string }) {
  return (
    <div className={`rich-text ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: safeHtml(html) }} />
  );
}

/** A comment typed as plain text, as the HTML the API takes: paragraphs and line breaks, escaped. */
export function textToHtml(text: string): string {
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
