import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ReportColumn } from '@handover/core';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetNameOf, writeXlsx } from './xlsx';

const columns: ReportColumn[] = [
  { header: 'paid_at', type: 'datetime', width: 20 },
  { header: 'day', type: 'date', width: 12 },
  { header: 'note', type: 'text', width: 30 },
  { header: 'amount_minor', type: 'integer', width: 14 },
];

async function* batches(rows: unknown[][], size = 2): AsyncIterable<unknown[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function workbookOf(rows: unknown[][], title = 'Revenue detail') {
  const out = new PassThrough();
  const [bytes] = await Promise.all([buffer(out), writeXlsx(out, title, columns, batches(rows))]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('writeXlsx', () => {
  it('writes typed cells a spreadsheet library reads back exactly, under a bold frozen header', async () => {
    const workbook = await workbookOf([
      ['2026-11-19 23:59:59', '2026-11-19', 'Tom & Jerry <test> "quoted"\u0007', '4900'],
      ['2026-01-01 00:00:01', '2026-01-01', null, '-250'],
      [null, null, '  leading spaces kept', null],
    ]);
    const sheet = workbook.getWorksheet('Revenue detail');
    if (!sheet) throw new Error('no sheet named Revenue detail');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'paid_at', 'day', 'note', 'amount_minor']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(3).width).toBe(30);

    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toEqual(new Date('2026-11-19T23:59:59Z'));
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(first.getCell(2).value).toEqual(new Date('2026-11-19T00:00:00Z'));
    expect(first.getCell(2).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(3).value).toBe('Tom & Jerry <test> "quoted"');
    expect(first.getCell(4).value).toBe(4900);
    expect(sheet.getRow(3).getCell(1).value).toEqual(new Date('2026-01-01T00:00:01Z'));
    expect(sheet.getRow(3).getCell(3).value).toBeNull();
    expect(sheet.getRow(3).getCell(4).value).toBe(-250);
    expect(sheet.getRow(4).getCell(1).value).toBeNull();
    expect(sheet.getRow(4).getCell(3).value).toBe('  leading spaces kept');
    expect(sheet.rowCount).toBe(4);
  });

  it('writes the header alone for an empty report', async () => {
    const sheet = (await workbookOf([])).worksheets[0];
    expect(sheet?.rowCount).toBe(1);
  });

  it('fails, rather than finishing the file, when reading the rows fails part-way', async () => {
    const out = new PassThrough();
    out.resume();
    async function* failing(): AsyncIterable<unknown[][]> {
      yield [['2026-11-19 10:00:00', '2026-11-19', 'one', '1']];
      throw new Error('the database went away');
    }
    const outFailed = new Promise<Error>((resolve) => out.once('error', resolve));
    await expect(writeXlsx(out, 'Report', columns, failing())).rejects.toThrow('the database went away');
    expect((await outFailed).message).toBe('the database went away');
    expect(out.writableFinished).toBe(false);
  });

  it('names the sheet as spreadsheets allow', () => {
    expect(sheetNameOf('Refunds: 2026/11 [draft]?')).toBe('Refunds  2026 11  draft');
    expect(sheetNameOf('A very long report title that goes on and on')).toHaveLength(31);
    expect(sheetNameOf('???')).toBe('Report');
  });
});
