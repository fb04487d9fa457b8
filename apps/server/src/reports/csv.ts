import type { ReportColumn } from '@handover/core';

/** RFC 4180 quoting; a text cell that a spreadsheet would run as a formula gets a leading `'`. */
function cell(value: unknown, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (column.type === 'text' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The CSV of `batches`, a chunk per batch so that the response is written in large pieces.
 * Pulled, not pushed: the next batch is read only when the response wants more.
 */
export async function* csvChunks(columns: ReportColumn[], batches: AsyncIterable<unknown[][]>): AsyncGenerator<string> {
  yield `${columns.map((column) => column.header).join(',')}\r\n`;
  for await (const rows of batches) {
    let chunk = '';
    for (const row of rows) {
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) line += ',';
        line += cell(row[i], columns[i] as ReportColumn);
      }
      chunk += `${line}\r\n`;
    }
    yield chunk;
  }
}
