import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ReportColumn, type SqlQuery, selectColumns } from '@handover/core';
import { ZipFile } from 'yazl';

/**
 * A one-sheet workbook (Office Open XML, ECMA-376) written as it streams. PostgreSQL writes each
 * row's XML (sheetRowsQuery) and COPY sends it; here the rows go as they arrive into the zip's
 * deflate stream, with backpressure from the HTTP response all the way to the database socket:
 * no row is parsed, no cell object made, nothing held, whatever the report's size.
 */

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Cell styles, by their index in styles.xml's `cellXfs`. */
const STYLE = { text: 0, integer: 1, date: 2, datetime: 3, header: 4 } as const;

/** Rows a worksheet holds below its header row (1,048,576 in all). */
export const SHEET_ROWS = 1_048_575;

export interface SheetOptions {
  /** Rows per worksheet before the report goes on in the next one; SHEET_ROWS unless testing. */
  rowsPerSheet?: number;
}

const sheetIds = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

function contentTypes(sheets: number): string {
  const worksheets = sheetIds(sheets)
    .map(
      (id) =>
        `<Override PartName="/xl/worksheets/sheet${id}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  return `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
${worksheets}\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>`;
}

const ROOT_RELS = `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>`;

/** Worksheet `id` is relationship `rId<id>`; the styles come after them. */
function workbookRels(sheets: number): string {
  const worksheets = sheetIds(sheets)
    .map((id) => `<Relationship Id="rId${id}" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet${id}.xml"/>`)
    .join('');
  return `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">${worksheets}\
<Relationship Id="rId${sheets + 1}" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>`;
}

function workbook(title: string, sheets: number): string {
  const names = sheetIds(sheets)
    .map((id) => `<sheet name="${escapeXml(sheetNameOf(title, id))}" sheetId="${id}" r:id="rId${id}"/>`)
    .join('');
  return `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>${names}</sheets></workbook>`;
}

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

/**
 * The name of the report's sheet `id` as spreadsheets accept it: at most 31 characters, none of
 * `[]:*?/\`; the second and later sheets end with their number, `Revenue detail (2)`.
 */
export function sheetNameOf(title: string, id = 1): string {
  const suffix = id === 1 ? '' : ` (${id})`;
  const name = title.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Report';
  return `${name.slice(0, 31 - suffix.length).trimEnd()}${suffix}`;
}

/** `A`, `B`, …, `Z`, `AA`, … for column index 0, 1, … */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** XML 1.0 cannot carry these: dropped from text cells, as escapeXml does. */
const XML_FORBIDDEN = String.raw`'[\u0001-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]'`;
/** Text holding none of these is already XML character data (and COPY's text format leaves it be). */
const NEEDS_ESCAPING = String.raw`'[\u0001-\u001f&<>"\\\ufffe\uffff]'`;

/**
 * `value` (SQL text) as XML character data, in SQL. Backslash, tab, line feed and carriage return
 * become character references: they survive the XML parser exactly (a bare CR would not), and
 * the row carries no character that COPY's text format would escape, so it arrives as written.
 */
function xmlTextSql(value: string): string {
  let escaped = `regexp_replace(${value}, ${XML_FORBIDDEN}, '', 'g')`;
  const references: [string, string][] = [
    [`'&'`, '&amp;'],
    [`'<'`, '&lt;'],
    [`'>'`, '&gt;'],
    [`'"'`, '&quot;'],
    ['chr(92)', '&#92;'],
    ['chr(9)', '&#9;'],
    ['chr(10)', '&#10;'],
    ['chr(13)', '&#13;'],
  ];
  for (const [from, to] of references) escaped = `replace(${escaped}, ${from}, '${to}')`;
  return `case when ${value} ~ ${NEEDS_ESCAPING} then ${escaped} else ${value} end`;
}

/**
 * One cell of row `n`, in SQL: a number, a date as the spreadsheet serial that shows its wall
 * clock (days since 1899-12-30; a cell has no time zone), or inline text; nothing for null.
 */
function cellSql(name: string, letters: string, type: ReportColumn['type']): string {
  const open = `'<c r="${letters}' || n || '"`;
  switch (type) {
    case 'integer':
      return `coalesce(${open} s="${STYLE.integer}"><v>' || (${name})::numeric || '</v></c>', '')`;
    case 'date':
    case 'datetime': {
      const serial = `(extract(epoch from (${name})::timestamp)::float8 / 86400 + 25569)`;
      return `coalesce(${open} s="${STYLE[type]}"><v>' || ${serial} || '</v></c>', '')`;
    }
    case 'text': {
      const text = xmlTextSql(`(${name})::text`);
      return `coalesce(${open} t="inlineStr"><is><t xml:space="preserve">' || ${text} || '</t></is></c>', '')`;
    }
  }
}

/**
 * `query`'s rows as worksheet `<row>` elements, one line each, in the query's order, numbered
 * from 2 (row 1 is the header) and again from 2 after every `rowsPerSheet` rows, where writeXlsx
 * starts the next worksheet. For COPY's text format: a row holds no tab, newline or backslash, so
 * each line is the row's XML exactly.
 */
export function sheetRowsQuery(
  columns: ReportColumn[],
  query: SqlQuery,
  { rowsPerSheet = SHEET_ROWS }: SheetOptions = {},
): SqlQuery {
  if (!Number.isInteger(rowsPerSheet) || rowsPerSheet < 1 || rowsPerSheet > SHEET_ROWS) {
    throw new Error(`rows per sheet must be a whole number from 1 to ${SHEET_ROWS}`);
  }
  // A window over the ordered subquery numbers the rows in that order.
  const numbered = selectColumns(
    columns,
    query,
    (names) => `${names.join(', ')}, (row_number() over () - 1) % ${rowsPerSheet} + 2 as n`,
  );
  const cells = columns.map((column, i) => cellSql(`c${i}`, columnLetters(i), column.type)).join(' || ');
  return {
    sql: `select '<row r="' || n || '">' || ${cells} || '</row>' from (${numbered.sql}) as numbered`,
    params: numbered.params,
  };
}

function sheetHead(columns: ReportColumn[]): string {
  const letters = columns.map((_, i) => columnLetters(i));
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

const SHEET_END = '</sheetData></worksheet>';

/**
 * Writes the workbook to `out` as `rows` (sheetRowsQuery's lines, made with the same
 * `rowsPerSheet`) arrive: typed number and date cells, a bold header row frozen in place, the
 * columns' widths. A report longer than a worksheet goes on in `Title (2)`, `Title (3)`, … each
 * with the header again. Reading waits whenever the compressor or `out` is full. Resolves when
 * `out` has the whole file and is ended; when reading or writing fails, `out` is destroyed with
 * the error and the promise rejects.
 */
export async function writeXlsx(
  out: Writable,
  title: string,
  columns: ReportColumn[],
  rows: AsyncIterable<Buffer | string>,
  { rowsPerSheet = SHEET_ROWS }: SheetOptions = {},
): Promise<void> {
  // The worksheets go first, as the rows come; the parts that list them once their number is known.
  const zip = new ZipFile();
  const delivered = pipeline(zip.outputStream, out);
  let sheets = 0;
  let sheet: PassThrough | null = null;
  let rowsInSheet = rowsPerSheet;

  const write = async (piece: Buffer) => {
    if (!sheet) throw new Error('no worksheet is open');
    if (!sheet.write(piece)) await Promise.race([once(sheet, 'drain'), delivered]);
  };
  const nextSheet = () => {
    sheet?.end(SHEET_END);
    sheets += 1;
    sheet = new PassThrough();
    zip.addReadStream(sheet, `xl/worksheets/sheet${sheets}.xml`);
    sheet.write(sheetHead(columns));
    rowsInSheet = 0;
  };

  try {
    nextSheet();
    for await (const chunk of rows) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Each line is one row: the chunk is cut where the worksheet is full.
      let start = 0;
      while (start < bytes.length) {
        if (rowsInSheet === rowsPerSheet) nextSheet();
        let end = start;
        while (rowsInSheet < rowsPerSheet) {
          const lineEnd = bytes.indexOf(10, end);
          if (lineEnd === -1) {
            end = bytes.length;
            break;
          }
          end = lineEnd + 1;
          rowsInSheet += 1;
        }
        await write(bytes.subarray(start, end));
        start = end;
      }
    }
    (sheet as PassThrough | null)?.end(SHEET_END);
    zip.addBuffer(Buffer.from(contentTypes(sheets)), '[Content_Types].xml');
    zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
    zip.addBuffer(Buffer.from(workbook(title, sheets)), 'xl/workbook.xml');
    zip.addBuffer(Buffer.from(workbookRels(sheets)), 'xl/_rels/workbook.xml.rels');
    zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml');
    zip.end();
  } catch (error) {
    // The zip is cut off, never finished: `out` is destroyed with the error, so whoever reads it
    // sees a failure, not a complete file.
    (zip.outputStream as Readable).destroy(error instanceof Error ? error : new Error(String(error)));
    (sheet as PassThrough | null)?.destroy();
    await delivered.catch(() => undefined);
    throw error;
  }
  await delivered;
}
