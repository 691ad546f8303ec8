import { setImmediate } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { HistoryColumn, HistoryTable } from './history-table';

/** What the PDF says above the table. */
export interface PdfHeading {
  /** e.g. `Tenant N202400003` or `User taro@example.com.fm`. */
  scope: string;
  /** Local time of the export, with offset. */
  generatedAt: string;
}

const MARGIN = 30;
const ROWS_PER_TURN = 25;
const FONT_SIZE = 7;
const PAD = 2.5;
/** A4 landscape is 842 pt wide: 782 pt between the margins. The target id is left out (CSV/xlsx have it). */
const PDF_COLUMNS: Partial<Record<HistoryColumn['key'], number>> = {
  time: 104,
  loginId: 112,
  event: 56,
  method: 62,
  result: 38,
  reasons: 100,
  ip: 90,
  userAgent: 220,
};

/**
 * The standard PDF fonts (Helvetica) have no Japanese glyphs and we embed no font, so the PDF holds
 * printable ASCII only: English headers, codes, times, addresses; any other character of a login ID
 * or user agent is shown as `?`. The CSV and xlsx files keep every character.
 */
export function asciiOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** A table of login history on A4 landscape pages, the header row repeated on each, pages numbered. */
export async function pdfFile(table: HistoryTable, heading: PdfHeading): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: 'Login history', Creator: 'Mamori', Producer: 'Mamori' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const columns = table.columns
    .map((c, index) => ({ index, width: PDF_COLUMNS[c.key] }))
    .filter((c): c is { index: number; width: number } => c.width !== undefined);
  const bottom = doc.page.height - MARGIN - 14;

  doc.font('Helvetica-Bold').fontSize(13).text('Login history', MARGIN, MARGIN);
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(
      asciiOnly(
        `${heading.scope} - ${table.rows.length} rows, newest first - times in ${table.reader.timeZone} ` +
          `with UTC offset - generated ${heading.generatedAt}`,
      ),
    );
  let y = doc.y + 6;

  const lineHeight = doc.font('Helvetica').fontSize(FONT_SIZE).currentLineHeight(true);
  // Most cells fit on one line: measuring a width is much cheaper than laying out wrapped text.
  const heightOf = (text: string, width: number): number =>
    doc.widthOfString(text) <= width ? lineHeight : doc.heightOfString(text, { width });

  const drawRow = (cells: string[], bold: boolean): void => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(FONT_SIZE);
    const heights = columns.map((c) => heightOf(cells[c.index], c.width - 2 * PAD));
    const height = Math.max(...heights) + 2 * PAD;
    if (y + height > bottom) {
      doc.addPage();
      y = MARGIN;
      if (!bold) {
        drawRow(headers, true);
        doc.font('Helvetica').fontSize(FONT_SIZE);
      }
    }
    let x = MARGIN;
    columns.forEach((c, i) => {
      const oneLine = heights[i] === lineHeight;
      doc.text(
        cells[c.index],
        x + PAD,
        y + PAD,
        oneLine ? { lineBreak: false } : { width: c.width - 2 * PAD },
      );
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

  const headers = table.columns.map((c) => c.header.en);
  drawRow(headers, true);
  for (const [i, row] of table.rows.entries()) {
    drawRow(row.map(asciiOnly), false);
    if (i % ROWS_PER_TURN === ROWS_PER_TURN - 1) {
      // Laying out text is CPU work: let the logins this process also serves run in between.
      await setImmediate();
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without this PDFKit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(7)
      .text(`Page ${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN, {
        width: doc.page.width - 2 * MARGIN,
        align: 'right',
      });
  }
  doc.end();
  return done;
}
