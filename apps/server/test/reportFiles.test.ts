import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { COPY_APPLICATION_NAME, openCopyStream, type ReportColumn, type SqlQuery } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvBody, csvQuery } from '../src/reports/csv';
import { type SheetOptions, sheetRowsQuery, writeXlsx } from '../src/reports/xlsx';

/** Rows given as parameters, so that they also go through COPY's written-in literals. */
function valuesQuery(types: string[], rows: unknown[][]): SqlQuery {
  if (rows.length === 0) return { sql: `select ${types.map((t) => `null::${t}`).join(', ')} where false`, params: [] };
  const row = `(${types.map((t) => `?::${t}`).join(', ')})`;
  return { sql: `select * from (values ${rows.map(() => row).join(', ')}) v`, params: rows.flat() };
}

describe('report files written by PostgreSQL', () => {
  const db = useTestDatabase({ poolMax: 1 });

  describe('CSV', () => {
    const columns: ReportColumn[] = [
      { header: 'name', type: 'text', width: 10 },
      { header: 'amount_minor', type: 'integer', width: 10 },
    ];
    async function csvOf(rows: unknown[][]): Promise<string> {
      const copy = await openCopyStream(db.orm.em, csvQuery(columns, valuesQuery(['text', 'bigint'], rows)), 'csv');
      let text = '';
      for await (const chunk of csvBody(columns, copy)) text += chunk.toString('utf8');
      return text;
    }

    it('writes a header, quotes what needs quoting and leaves empty cells for nulls', async () => {
      expect(
        await csvOf([
          ['Plain', 100],
          ['Comma, "quoted"\nline', null],
          ["O'Brien \\ back", 0],
        ]),
      ).toBe('name,amount_minor\nPlain,100\n"Comma, ""quoted""\nline",\nO\'Brien \\ back,0\n');
    });

    it('keeps a text cell from running as a formula, but not a negative amount', async () => {
      expect(
        await csvOf([
          ['=HYPERLINK("x")', -250],
          ['-1', 1],
          ['@SUM(A1)', 2],
          ['\tx', 3],
        ]),
      ).toBe('name,amount_minor\n"\'=HYPERLINK(""x"")",-250\n\'-1,1\n\'@SUM(A1),2\n\'\tx,3\n');
    });

    it('writes the header alone for an empty report', async () => {
      expect(await csvOf([])).toBe('name,amount_minor\n');
    });
  });

  describe('XLSX', () => {
    const columns: ReportColumn[] = [
      { header: 'paid_at', type: 'datetime', width: 20 },
      { header: 'day', type: 'date', width: 12 },
      { header: 'note', type: 'text', width: 30 },
      { header: 'amount_minor', type: 'integer', width: 14 },
    ];
    async function workbookOf(rows: unknown[][], options: SheetOptions = {}) {
      const query = sheetRowsQuery(columns, valuesQuery(['text', 'text', 'text', 'bigint'], rows), options);
      const copy = await openCopyStream(db.orm.em, query, 'text');
      const out = new PassThrough();
      const [bytes] = await Promise.all([buffer(out), writeXlsx(out, 'Revenue detail', columns, copy, options)]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      return workbook;
    }

    it('writes typed cells a spreadsheet library reads back exactly, under a bold frozen header', async () => {
      const workbook = await workbookOf([
        ['2026-11-19 23:59:59', '2026-11-19', 'Tom & Jerry <test> "quoted"\u0007', 4900],
        ['2026-01-01 00:00:01', '2026-01-01', null, -250],
        [null, null, '  leading spaces kept', null],
        ['2024-02-29 12:00:00', '2024-02-29', 'back\\slash\ttab\nline\r\nend', 0],
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
      expect(sheet.getRow(5).getCell(1).value).toEqual(new Date('2024-02-29T12:00:00Z'));
      expect(sheet.getRow(5).getCell(3).value).toBe('back\\slash\ttab\nline\r\nend');
      expect(sheet.getRow(5).getCell(4).value).toBe(0);
      expect(sheet.rowCount).toBe(5);
    });

    it('writes the header alone for an empty report', async () => {
      const workbook = await workbookOf([]);
      expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([1]);
    });

    it('goes on in another worksheet, header and all, when one is full', async () => {
      const rows = Array.from({ length: 7 }, (_, i) => [`2026-11-0${i + 1} 10:00:00`, null, `row ${i + 1}`, i + 1]);
      const workbook = await workbookOf(rows, { rowsPerSheet: 3 });
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
        'Revenue detail',
        'Revenue detail (2)',
        'Revenue detail (3)',
      ]);
      const read = workbook.worksheets.map((sheet) => {
        expect(sheet.getRow(1).values).toEqual([undefined, 'paid_at', 'day', 'note', 'amount_minor']);
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
        const values: unknown[] = [];
        sheet.eachRow((row, n) => {
          if (n > 1) values.push(row.getCell(4).value);
        });
        return values;
      });
      expect(read).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      expect(workbook.worksheets[2]?.getRow(2).getCell(1).value).toEqual(new Date('2026-11-07T10:00:00Z'));
    });

    it('starts no empty worksheet when the rows fill the last one exactly', async () => {
      const rows = Array.from({ length: 4 }, (_, i) => [null, null, `row ${i + 1}`, i]);
      const workbook = await workbookOf(rows, { rowsPerSheet: 2 });
      expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([3, 3]);
    });
  });

  /** Download connections open on this database. */
  async function downloadConnections(): Promise<number> {
    const [row] = await db.orm.em
      .fork()
      .execute<{ n: string }[]>(
        'select count(*) as n from pg_stat_activity where datname = current_database() and application_name = ?',
        [COPY_APPLICATION_NAME],
      );
    return Number(row?.n);
  }
  async function expectNoDownloadConnection() {
    for (let tries = 0; tries < 100 && (await downloadConnections()) > 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await downloadConnections()).toBe(0);
  }

  it('fails the stream when the query fails, and frees its connection', async () => {
    const copy = await openCopyStream(db.orm.em, { sql: 'select 1 / (2 - ?::int)', params: [2] }, 'csv');
    await expect(buffer(copy)).rejects.toThrow(/division by zero/);
    await expectNoDownloadConnection();
  });

  it('ends the query and frees its connection when the reader stops early', async () => {
    const copy = await openCopyStream(
      db.orm.em,
      { sql: 'select generate_series(1, ?::int)', params: [5_000_000] },
      'csv',
    );
    expect(await downloadConnections()).toBe(1);
    for await (const _ of copy) break;
    expect(copy.destroyed).toBe(true);
    await expectNoDownloadConnection();
  });

  it('refuses a parameter it cannot write into SQL', async () => {
    await expect(openCopyStream(db.orm.em, { sql: 'select ?', params: [new Date()] }, 'csv')).rejects.toThrow(
      /cannot be written into SQL/,
    );
  });
});
