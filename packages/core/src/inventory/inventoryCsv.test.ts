import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readInventoryCsv } from './inventoryCsv';

async function read(input: Parameters<typeof readInventoryCsv>[0]) {
  const out = [];
  for await (const item of readInventoryCsv(input)) out.push(item);
  return out;
}

describe('readInventoryCsv', () => {
  it('reads the seed 000 format with the line of each account', async () => {
    const rows = await read(
      'email,password,notes\naccount1@outlook.com,Pass123!,Production\naccount2@outlook.com,Pass456!,\n',
    );
    expect(rows).toEqual([
      { line: 2, email: 'account1@outlook.com', password: 'Pass123!', notes: 'Production' },
      { line: 3, email: 'account2@outlook.com', password: 'Pass456!', notes: null },
    ]);
  });

  it('accepts a header without notes, in any column order and case, with a BOM and CRLF line ends', async () => {
    const rows = await read('\uFEFFPassword, Email \r\n"p,1",A@Example.com\r\n');
    expect(rows).toEqual([{ line: 2, email: 'a@example.com', password: 'p,1', notes: null }]);
  });

  it('keeps a password exactly as written, spaces and quotes included', async () => {
    const rows = await read('email,password\na@example.com," p""w d "\n');
    expect(rows).toEqual([{ line: 2, email: 'a@example.com', password: ' p"w d ', notes: null }]);
  });

  it('counts lines as a person does, across empty lines and quoted line breaks', async () => {
    const rows = await read('email,password,notes\n\na@example.com,p1,"two\nlines"\nb@example.com,p2,x\n');
    expect(rows.map((row) => row.line)).toEqual([3, 5]);
  });

  it('reports each bad row with its line and what is wrong, and goes on reading', async () => {
    const rows = await read(
      'email,password,notes\nnot-an-email,p1,\nb@example.com,,\nc@example.com,p3,x,extra\nd@example.com,p4,ok\n',
    );
    expect(rows).toEqual([
      { line: 2, message: 'email is not a valid email address' },
      { line: 3, message: 'password is empty' },
      {
        line: 4,
        message: '4 values where the header has 3; put a value that contains a comma in double quotes',
      },
      { line: 5, email: 'd@example.com', password: 'p4', notes: 'ok' },
    ]);
  });

  it('refuses a wrong header with a message that names the expected columns, and reads no further', async () => {
    const rows = await read('mail,pass\na@example.com,p1\n');
    expect(rows).toEqual([
      {
        line: 1,
        message:
          'the header must be email,password,notes (notes may be left out), found "mail,pass" (missing email, password; unknown "mail", "pass")',
      },
    ]);
  });

  it('refuses a header without a header row at all (accounts on line 1)', async () => {
    const [problem] = await read('a@example.com,p1,notes\n');
    expect(problem).toMatchObject({
      line: 1,
      message: expect.stringMatching(/^the header must be email,password,notes/),
    });
  });

  it('reports an empty file', async () => {
    expect(await read('')).toEqual([
      { line: 1, message: 'the file is empty: the first line must be the header email,password,notes' },
    ]);
  });

  it('reports a record that is not valid CSV at the line it starts on', async () => {
    const rows = await read('email,password\na@example.com,p1\nb@example.com,"unclosed\n');
    expect(rows).toEqual([
      { line: 2, email: 'a@example.com', password: 'p1', notes: null },
      { line: 3, message: expect.stringMatching(/^not valid CSV: Quote Not Closed/) },
    ]);
  });

  it('keeps a double quote inside an unquoted password', async () => {
    const rows = await read('email,password\na@example.com,Pa"ss\n');
    expect(rows).toEqual([{ line: 2, email: 'a@example.com', password: 'Pa"ss', notes: null }]);
  });

  it('reads a stream delivered in small chunks', async () => {
    const text = `email,password\n${Array.from({ length: 200 }, (_, i) => `user${i}@example.com,pw${i}`).join('\n')}\n`;
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const rows = await read(Readable.from(chunks));
    expect(rows).toHaveLength(200);
    expect(rows[199]).toEqual({ line: 201, email: 'user199@example.com', password: 'pw199', notes: null });
  });
});
