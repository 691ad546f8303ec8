import { plainText, sanitizeRichText } from './rich-text.sanitizer';

describe('sanitizeRichText (CASE-6)', () => {
  it('keeps paragraphs, b/i/u, colours and tables', () => {
    const html =
      '<p><b>bold</b> <i>it</i> <u>under</u> <span style="color: #ff0000">red</span></p>' +
      '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>';
    expect(sanitizeRichText(html)).toBe(html.replace('color: #ff0000', 'color:#ff0000'));
  });

  it('removes scripts, style elements, event handlers, other styles and images', () => {
    const out = sanitizeRichText(
      '<p onclick="x()">hi<script>alert(1)</script><style>p{}</style>' +
        '<img src="https://tracker.example/p.png"><span style="position:fixed;color:blue">b</span></p>',
    );
    expect(out).toBe('<p>hi<span style="color:blue">b</span></p>');
  });

  it('refuses a colour that is not a colour, and javascript: links', () => {
    expect(sanitizeRichText('<span style="color: url(https://x.example/a)">t</span>')).toBe('<span>t</span>');
    expect(sanitizeRichText('<a href="javascript:alert(1)">x</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" target="_blank">x</a>',
    );
  });

  it('gives the text a reader sees', () => {
    expect(plainText('<p>a &amp; b</p><p>c</p>')).toBe('a & b\nc');
  });
});
