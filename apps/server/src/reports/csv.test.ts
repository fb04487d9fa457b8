import type { ReportColumn } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { csvChunks } from './csv';

const columns: ReportColumn[] = [
  { header: 'name', type: 'text', width: 10 },
  { header: 'amount_minor', type: 'integer', width: 10 },
];

async function csv(batches: unknown[][][]): Promise<string> {
  async function* rows() {
    for (const batch of batches) yield batch;
  }
  let text = '';
  for await (const chunk of csvChunks(columns, rows())) text += chunk;
  return text;
}

describe('csvChunks', () => {
  it('writes a header, quotes what needs quoting and leaves empty cells for nulls', async () => {
    expect(await csv([[['Plain', 100]], [['Comma, "quoted"\nline', null]]])).toBe(
      'name,amount_minor\r\nPlain,100\r\n"Comma, ""quoted""\nline",\r\n',
    );
  });

  it('keeps a text cell from running as a formula, but not a negative amount', async () => {
    expect(await csv([[['=HYPERLINK("x")', -250]]])).toBe('name,amount_minor\r\n"\'=HYPERLINK(""x"")",-250\r\n');
  });
});
