import { describe, expect, it } from 'vitest';
import { htmlToText, textToHtml } from './rich-text';

describe('textToHtml', () => {
  it('makes paragraphs and line breaks, and escapes what HTML would read as markup', () => {
    expect(textToHtml('確認しました。\n\n<b>誤検知</b> & "対応不要"\n以上')).toBe(
      '<p>確認しました。</p><p>&lt;b&gt;誤検知&lt;/b&gt; &amp; &quot;対応不要&quot;<br>以上</p>',
    );
  });
});

describe('htmlToText', () => {
  it('shows a sanitised body as text with its paragraphs, never running or loading anything', () => {
    expect(
      htmlToText('<p>一行目<br>二行目</p><p><strong>強調</strong></p><img src="x" onerror="boom()">'),
    ).toBe('一行目\n二行目\n\n強調');
  });

  it('gives back what textToHtml was given', () => {
    const text = '確認しました。\n\n<b>誤検知</b> & 対応不要\n以上';
    expect(htmlToText(textToHtml(text))).toBe(text);
  });
});
