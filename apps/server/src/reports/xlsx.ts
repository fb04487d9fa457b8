import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReportColumn } from '@handover/core';
import ExcelJS from 'exceljs';

const FORMATS: Record<ReportColumn['type'], string | undefined> = {
  text: undefined,
  integer: '0',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
};

/** A wall-clock `YYYY-MM-DD[ HH:MM:SS]` as the Date a spreadsheet shows as that time (no zone in a cell). */
function wallClock(text: string): Date {
  return new Date(`${text.length === 10 ? `${text}T00:00:00` : text.replace(' ', 'T')}Z`);
}

function value(raw: unknown, column: ReportColumn): ExcelJS.CellValue {
  if (raw === null || raw === undefined) return null;
  switch (column.type) {
    case 'integer':
      return Number(raw);
    case 'date':
    case 'datetime':
      return wallClock(String(raw));
    default:
      return String(raw);
  }
}

const MAX_BACKLOG = 4 * 1024 * 1024;

interface PipeState {
  _writableState?: { length: number };
  _readableState?: { length: number };
}

/**
 * Bytes of sheet XML written but not yet compressed. exceljs writes rows into its zip without
 * waiting for the compressor, so a fast query would pile the whole sheet up in memory; reading
 * its buffers (exceljs 4.4.0's StreamBuf: `buffers`, and `pipes`, the zip entry it feeds) lets
 * the writer wait for the compressor instead.
 */
function backlog(sheet: ExcelJS.Worksheet): number {
  const stream = (sheet as unknown as { stream?: { buffers?: unknown[]; pipes?: PipeState[] } }).stream;
  const unpiped = (stream?.buffers?.length ?? 0) * 65_536;
  // The entry is one of archiver's readable-stream PassThroughs, which keep their lengths in their states.
  const queued = (stream?.pipes ?? []).reduce(
    (sum, pipe) => sum + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0),
    0,
  );
  return unpiped + queued;
}

/**
 * Writes a one-sheet workbook of `batches` to `out` as it reads them: typed number and date cells,
 * a bold header row frozen in place. Rows are committed as they come, so the workbook is never
 * held in memory; when `out` is full, reading waits until it drains.
 */
export async function writeXlsx(
  out: Writable,
  sheetName: string,
  columns: ReportColumn[],
  batches: AsyncIterable<unknown[][]>,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: column.header,
    key: column.header,
    width: column.width,
    style: FORMATS[column.type] ? { numFmt: FORMATS[column.type] } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const rows of batches) {
    for (const row of rows) sheet.addRow(columns.map((column, i) => value(row[i], column))).commit();
    if (out.writableNeedDrain) await once(out, 'drain');
    while (backlog(sheet) > MAX_BACKLOG) await sleep(2);
  }
  sheet.commit();
  await workbook.commit();
}
