import sanitizeHtml from 'sanitize-html';
import { DomainError, ErrorCode } from '@app/contracts';

/** A colour as the editor writes it: a name, `#rgb`/`#rrggbb`, or `rgb(r, g, b)`. */
const COLOUR = [
  /^#[0-9a-f]{3}([0-9a-f]{3})?$/i,
  /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/i,
  /^[a-z]{3,20}$/i,
];

/**
 * CASE-6: what a comment or description may hold — paragraphs and line breaks, bold, italic,
 * underline, colours, lists and tables — and nothing else. Scripts, styles, event handlers, links'
 * `javascript:` and every image (a remote image would tell its server who read the case) are removed,
 * with the text of unknown elements kept. Colours are the only style, checked value by value.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'div',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'font',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
    'colgroup',
    'col',
    'a',
  ],
  allowedAttributes: {
    '*': ['style'],
    font: ['color'],
    a: ['href', 'rel', 'target'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedStyles: { '*': { color: COLOUR, 'background-color': COLOUR } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Their content is code or styling, never text the reader should see.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

/** Clean HTML for a comment or description; the same input always gives the same output. */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** The text a reader sees, for search and e-mails: tags removed, entities decoded, spaces folded. */
export function plainText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/tr|\/li)[^>]*>/gi, '$&\n'), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head'],
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Sanitised HTML of a field that must still say something: an input of only markup (or only what
 * the allow-list removes) is malformed, `400 validation_failed` naming the field.
 */
export function richTextField(html: string, field: string): string {
  const clean = sanitizeRichText(html);
  if (clean.replace(/<[^>]*>/g, '').trim() === '') {
    throw new DomainError(ErrorCode.ValidationFailed, {
      fields: { [field]: [`${field} must contain text`] },
    });
  }
  return clean;
}
