import { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';
import { japaneseFonts } from './japanese-font';

const MARGIN = 30;
const ROWS_PER_TURN = 25;
const FONT_SIZE = 7;
const PAD = 2.5;
const REGULAR = 'NotoSansJP';
const BOLD = 'NotoSansJP-Bold';

/**
 * Text that Helvetica can draw: PDFKit writes the standard fonts in WinAnsi, one byte per character.
 * Such cells (codes, times, addresses, most user agents) stay in Helvetica, which is smaller and
 * faster to lay out than a CID font at two bytes per glyph; any other text is set in Noto Sans JP.
 */
const WIN_ANSI = /^[\x20-\x7e\u00a0-\u00ff]*$/;

function fontFor(text: string, bold: boolean): string {
  if (WIN_ANSI.test(text)) {
    return bold ? 'Helvetica-Bold' : 'Helvetica';
  }
  return bold ? BOLD : REGULAR;
}

/**
 * Characters no font here can draw: controls would show as boxes or break the layout. Everything
 * else, Japanese included, prints as itself in Noto Sans JP.
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/**
 * A table on A4 landscape pages, piped into `out` page by page: the header row is repeated on each
 * page and each page is numbered as it starts (`Page 3`). A total page count would need every page
 * held until the end, which an export of any size cannot afford.
 */
export function pdfWriter(out: Writable, spec: ExportTableSpec): RowWriter {
  const fonts = japaneseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: spec.title, Creator: 'Mamori', Producer: 'Mamori' },
  });
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  doc.pipe(out);
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    doc.once('error', reject);
  });

  let pageNumber = 0;
  const footer = (): void => {
    pageNumber += 1;
    const bottomMargin = doc.page.margins.bottom;
    // Below the bottom margin: without this PDFKit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(7)
      .text(`Page ${pageNumber}`, MARGIN, doc.page.height - MARGIN, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottomMargin;
  };
  footer();
  doc.on('pageAdded', footer);

  const columns = spec.columns
    .map((c, index) => ({ index, width: c.pdfWidth }))
    .filter((c): c is { index: number; width: number } => c.width !== undefined);
  const headers = spec.pdfHeaders ? [...spec.pdfHeaders] : spec.columns.map((c) => c.header);
  const bottom = doc.page.height - MARGIN - 14;

  const title = printable(spec.title);
  const subtitle = printable(spec.subtitle);
  doc.font(fontFor(title, true)).fontSize(13).text(title, MARGIN, MARGIN);
  doc.font(fontFor(subtitle, false)).fontSize(8).text(subtitle);
  let y = doc.y + 6;

  // One line height for both fonts (the taller one), so rows line up whatever font a cell takes.
  const lineHeight = Math.max(
    doc.font('Helvetica').fontSize(FONT_SIZE).currentLineHeight(true),
    doc.font(REGULAR).fontSize(FONT_SIZE).currentLineHeight(true),
  );
  // Most cells fit on one line: measuring a width is much cheaper than laying out wrapped text.
  const heightOf = (text: string, width: number, bold: boolean): number => {
    doc.font(fontFor(text, bold)).fontSize(FONT_SIZE);
    return doc.widthOfString(text) <= width ? lineHeight : doc.heightOfString(text, { width, lineGap: 0 });
  };

  const drawRow = (cells: readonly string[], bold: boolean): void => {
    const heights = columns.map((c) => heightOf(cells[c.index] ?? '', c.width - 2 * PAD, bold));
    const height = Math.max(...heights) + 2 * PAD;
    if (y + height > bottom) {
      doc.addPage();
      y = MARGIN;
      if (!bold) {
        drawRow(headers, true);
      }
    }
    let x = MARGIN;
    columns.forEach((c, i) => {
      const oneLine = heights[i] === lineHeight;
      const text = cells[c.index] ?? '';
      doc.font(fontFor(text, bold)).fontSize(FONT_SIZE);
      doc.text(text, x + PAD, y + PAD, oneLine ? { lineBreak: false } : { width: c.width - 2 * PAD });
      x += c.width;
    });
    y += height;
    doc
      .moveTo(MARGIN, y)
      .lineTo(x, y)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor('#999999')
      .stroke();
  };

  drawRow(headers, true);
  let rows = 0;
  return {
    async write(cells) {
      drawRow(cells.map(printable), false);
      rows += 1;
      if (rows % ROWS_PER_TURN === 0) {
        // Laying out text is CPU work: let the other requests this process serves run in between,
        // and let the client take what is written so far.
        await setImmediate();
        await roomIn(out);
      }
    },
    async end() {
      doc.end();
      await finished;
    },
  };
}
