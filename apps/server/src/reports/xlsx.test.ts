import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ReportColumn } from '@handover/core';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetNameOf, writeXlsx } from './xlsx';

const columns: ReportColumn[] = [{ header: 'note', type: 'text', width: 30 }];

describe('writeXlsx', () => {
  it('fails, rather than finishing the file, when reading the rows fails part-way', async () => {
    const out = new PassThrough();
    out.resume();
    async function* failing(): AsyncIterable<string> {
      yield '<row r="2"><c r="A2" t="inlineStr"><is><t>one</t></is></c></row>\n';
      throw new Error('the database went away');
    }
    const outFailed = new Promise<Error>((resolve) => out.once('error', resolve));
    await expect(writeXlsx(out, 'Report', columns, failing())).rejects.toThrow('the database went away');
    expect((await outFailed).message).toBe('the database went away');
    expect(out.writableFinished).toBe(false);
  });

  it('cuts the rows between worksheets at line ends, however the bytes arrive', async () => {
    const line = (n: number, text: string) =>
      `<row r="${n}"><c r="A${n}" t="inlineStr"><is><t>${text}</t></is></c></row>\n`;
    const text = ['one', 'two', 'three', 'four', 'five'].map((t, i) => line((i % 2) + 2, t)).join('');
    async function* pieces(): AsyncIterable<Buffer> {
      // Seven bytes at a time: lines arrive split anywhere, several to a piece or one across many.
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const out = new PassThrough();
    const [bytes] = await Promise.all([buffer(out), writeXlsx(out, 'Notes', columns, pieces(), { rowsPerSheet: 2 })]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.getColumn(1).values.slice(1))).toEqual([
      ['note', 'one', 'two'],
      ['note', 'three', 'four'],
      ['note', 'five'],
    ]);
  });

  it('names the sheet as spreadsheets allow', () => {
    expect(sheetNameOf('Refunds: 2026/11 [draft]?')).toBe('Refunds  2026 11  draft');
    expect(sheetNameOf('A very long report title that goes on and on')).toHaveLength(31);
    expect(sheetNameOf('???')).toBe('Report');
    expect(sheetNameOf('Revenue detail', 2)).toBe('Revenue detail (2)');
    expect(sheetNameOf('A very long report title that goes on and on', 12)).toBe('A very long report title t (12)');
  });
});
