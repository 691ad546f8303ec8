import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Noto Sans JP (SIL Open Font License 1.1) as shipped by the npm package `@embedpdf/fonts-jp`: it
 * covers Latin, kana and the JIS kanji, so Japanese names and subjects print as themselves. PDFKit
 * embeds only the glyphs a document uses (a subset), so a file grows by tens of kilobytes, not by
 * the 4.5 MB of the font.
 */
const FONT_PACKAGE = '@embedpdf/fonts-jp';

export interface JapaneseFonts {
  regular: Buffer;
  bold: Buffer;
}

let loaded: JapaneseFonts | undefined;

/** The font files, read once per process (the package exposes no path, only its entry point). */
export function japaneseFonts(): JapaneseFonts {
  if (!loaded) {
    const fontsDir = path.join(path.dirname(require.resolve(FONT_PACKAGE)), '..', 'fonts');
    loaded = {
      regular: readFileSync(path.join(fontsDir, 'NotoSansJP-Regular.otf')),
      bold: readFileSync(path.join(fontsDir, 'NotoSansJP-Bold.otf')),
    };
  }
  return loaded;
}
