import { describe, expect, it } from 'vitest';
import { safeHtml, textToHtml } from './rich-text';

describe('safeHtml', () => {
  it('keeps the formatting of a comment', () => {
    const html =
      '<p><b>太字</b> and <span style="color: #c00">red</span></p><table><tbody><tr><td>1</td></tr></tbody></table>';
    expect(safeHtml(html)).toBe(html);
  });

  it('drops scripts, event handlers, images and unsafe links that slipped through', () => {
    const html =
      '<p onclick="steal()">hi<script>steal()</script><img src="https://tracker.example/x.png" onerror="steal()"></p>' +
      '<a href="javascript:steal()">x</a><a href="https://example.com/">ok</a>';
    const clean = safeHtml(html);
    expect(clean).not.toMatch(/script|onclick|onerror|img|javascript:/i);
    expect(clean).toContain('<a rel="noopener noreferrer nofollow" target="_blank">x</a>');
    expect(clean).toContain('href="https://example.com/"');
  });
});

describe('textToHtml', () => {
  it('escapes what the user typed and keeps their paragraphs and line breaks', () => {
    expect(textToHtml('a <b>\nsecond line\n\nnew & paragraph')).toBe(
      '<p>a &lt;b&gt;<br>second line</p><p>new &amp; paragraph</p>',
    );
  });
});
