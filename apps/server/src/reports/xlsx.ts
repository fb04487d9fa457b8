import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportColumn } from '@handover/core';
import { ZipFile } from 'yazl';

/**
 * A one-sheet workbook (Office Open XML, ECMA-376) written as it streams. A report of a million
 * rows goes through as text into the zip's deflate stream, one row at a time, with backpressure
 * from the HTTP response all the way to the database cursor: no cell objects, nothing held.
 */

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const ROWS_PER_WRITE = 64;

/** Cell styles, by their index in styles.xml's `cellXfs`. */
const STYLE = { text: 0, integer: 1, date: 2, datetime: 3, header: 4 } as const;

const CONTENT_TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>`;

const ROOT_RELS = `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>`;

const WORKBOOK_RELS = `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>`;

const xf = (numFmtId: number, fontId = 0) =>
  `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"${numFmtId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}/>`;

const STYLES = `${XML}<styleSheet xmlns="${MAIN}">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5">${xf(0)}${xf(1)}${xf(164)}${xf(165)}${xf(0, 1)}</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>`;

/** Text as XML character data, without the characters XML 1.0 cannot carry. */
function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the ones XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** A sheet name as spreadsheets accept it: at most 31 characters, none of `[]:*?/\`. */
export function sheetNameOf(title: string): string {
  return (
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Report'
  );
}

/** `A`, `B`, …, `Z`, `AA`, … for column index 0, 1, … */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * A wall-clock `YYYY-MM-DD[ HH:MM:SS]` as the spreadsheet serial that shows that time (days since
 * 1899-12-30; a cell has no time zone).
 */
function serialOf(text: string): number | null {
  const ms = Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms / 86_400_000 + 25_569;
}

function cell(ref: string, raw: unknown, type: ReportColumn['type']): string {
  if (raw === null || raw === undefined) return '';
  if (type === 'integer') {
    const number = Number(raw);
    if (Number.isFinite(number)) return `<c r="${ref}" s="${STYLE.integer}"><v>${number}</v></c>`;
  } else if (type === 'date' || type === 'datetime') {
    const serial = serialOf(String(raw));
    if (serial !== null) return `<c r="${ref}" s="${STYLE[type]}"><v>${serial}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(raw))}</t></is></c>`;
}

function sheetHead(columns: ReportColumn[], letters: string[]): string {
  const widths = columns
    .map((column, i) => `<col min="${i + 1}" max="${i + 1}" width="${column.width}" customWidth="1"/>`)
    .join('');
  const header = columns
    .map(
      (column, i) =>
        `<c r="${letters[i]}1" s="${STYLE.header}" t="inlineStr"><is><t>${escapeXml(column.header)}</t></is></c>`,
    )
    .join('');
  return `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}">\
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>\
<cols>${widths}</cols><sheetData><row r="1">${header}</row>`;
}

/**
 * Writes a one-sheet workbook of `batches` to `out` as it reads them: typed number and date
 * cells, a bold header row frozen in place, the columns' widths. Reading waits whenever the
 * compressor or `out` is full. Resolves when `out` has the whole file and is ended; when reading
 * or writing fails, `out` is destroyed with the error and the promise rejects.
 */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  columns: ReportColumn[],
  batches: AsyncIterable<unknown[][]>,
): Promise<void> {
  const zip = new ZipFile();
  const sheet = new PassThrough();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
  zip.addBuffer(
    Buffer.from(
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>\
<sheet name="${escapeXml(sheetNameOf(sheetName))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/workbook.xml',
  );
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
  zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml');
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml');
  zip.end();
  const delivered = pipeline(zip.outputStream, out);

  try {
    const letters = columns.map((_, i) => columnLetters(i));
    sheet.write(sheetHead(columns, letters));
    let rowNumber = 1;
    for await (const rows of batches) {
      // Handed on a few rows at a time, so each piece of text dies young (cheap for the collector).
      for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
        let chunk = '';
        for (const row of rows.slice(start, start + ROWS_PER_WRITE)) {
          rowNumber += 1;
          chunk += `<row r="${rowNumber}">`;
          for (let i = 0; i < columns.length; i++) {
            chunk += cell(`${letters[i]}${rowNumber}`, row[i], (columns[i] as ReportColumn).type);
          }
          chunk += '</row>';
        }
        if (!sheet.write(chunk)) await Promise.race([once(sheet, 'drain'), delivered]);
      }
    }
    sheet.end('</sheetData></worksheet>');
  } catch (error) {
    // The zip is cut off, never finished: `out` is destroyed with the error, so whoever reads it
    // sees a failure, not a complete file.
    (zip.outputStream as Readable).destroy(error instanceof Error ? error : new Error(String(error)));
    sheet.destroy();
    await delivered.catch(() => undefined);
    throw error;
  }
  await delivered;
}
