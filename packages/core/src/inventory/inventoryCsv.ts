import { Readable } from 'node:stream';
import { type Info, parse } from 'csv-parse';
import { z } from 'zod';

/** One account line of an inventory file (seed 000: `email,password,notes`). */
export interface InventoryCsvRow {
  /** The line the record starts on, counting the header as line 1. */
  line: number;
  /** Trimmed and lower-cased: account logins are compared without regard to case. */
  email: string;
  password: string;
  notes: string | null;
}

export interface InventoryCsvProblem {
  line: number;
  message: string;
}

export type InventoryCsvInput = string | Buffer | Readable | AsyncIterable<string | Buffer>;

const REQUIRED_COLUMNS = ['email', 'password'] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, 'notes']);
const EXPECTED_HEADER = 'email,password,notes';

const rowSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'email is empty')
    .max(320, 'email is longer than 320 characters')
    .pipe(z.email('email is not a valid email address')),
  password: z
    .string()
    .max(1024, 'password is longer than 1024 characters')
    .refine((value) => value.trim().length > 0, 'password is empty'),
  notes: z
    .string()
    .trim()
    .max(2000, 'notes are longer than 2000 characters')
    .transform((value) => value || null),
});

/**
 * Reads an inventory CSV as a stream, one record at a time, and yields each account row or
 * the problem with it, with the line a person would point at in the file. The header must
 * name the columns `email`, `password` and, optionally, `notes`; when it does not, the
 * problem is yielded and reading stops. A record that is not valid CSV (an unclosed quote)
 * is yielded as a problem at the line it starts on.
 */
export async function* readInventoryCsv(
  input: InventoryCsvInput,
): AsyncGenerator<InventoryCsvRow | InventoryCsvProblem> {
  const source = typeof input === 'string' || Buffer.isBuffer(input) ? Readable.from([input]) : Readable.from(input);
  // The parser reports unreadable records through on_skip as it meets them, ahead of the
  // records still buffered; their byte offsets put them back in file order below.
  const unreadable: { bytes: number; lines: number; emptyLines: number; message: string }[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    // Passwords may contain a double quote without the whole value being quoted.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return;
      unreadable.push({
        bytes: Number(error.bytes),
        lines: Number(error.lines),
        emptyLines: Number(error.empty_lines),
        message: `not valid CSV: ${error.message}`,
      });
    },
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let columns: string[] | undefined;
  let previous = { lines: 0, emptyLines: 0 };
  // The parser counts where a record ends; it starts after the previous one and any empty lines.
  const startLine = (at: { emptyLines: number }) => previous.lines + 1 + (at.emptyLines - previous.emptyLines);
  const unreadableBefore = function* (bytes: number) {
    while (unreadable[0] && unreadable[0].bytes <= bytes) {
      const skipped = unreadable.shift() as (typeof unreadable)[number];
      const line = startLine(skipped);
      previous = { lines: skipped.lines, emptyLines: skipped.emptyLines };
      yield { line, message: skipped.message };
    }
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      yield* unreadableBefore(info.bytes);
      const line = startLine({ emptyLines: info.empty_lines });
      previous = { lines: info.lines, emptyLines: info.empty_lines };
      if (!columns) {
        const problem = checkHeader(record);
        if (problem) {
          yield { line, message: problem };
          return;
        }
        columns = record.map(normalizeColumn);
        continue;
      }
      yield readRow(columns, record, line);
    }
  } finally {
    source.destroy();
  }
  yield* unreadableBefore(Number.POSITIVE_INFINITY);
  if (!columns) yield { line: 1, message: `the file is empty: the first line must be the header ${EXPECTED_HEADER}` };
}

const normalizeColumn = (name: string) => name.trim().toLowerCase();

function checkHeader(record: string[]): string | undefined {
  const names = record.map(normalizeColumn);
  const unknown = names.filter((name) => !KNOWN_COLUMNS.has(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (unknown.length === 0 && missing.length === 0 && repeated.length === 0) return undefined;
  const details = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown ${unknown.map((name) => `"${name}"`).join(', ')}` : '',
    repeated.length > 0 ? `repeated ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  return `the header must be ${EXPECTED_HEADER} (notes may be left out), found "${record.join(',')}" (${details.join('; ')})`;
}

function readRow(columns: string[], record: string[], line: number): InventoryCsvRow | InventoryCsvProblem {
  if (record.length > columns.length) {
    return {
      line,
      message: `${record.length} values where the header has ${columns.length}; put a value that contains a comma in double quotes`,
    };
  }
  const fields = Object.fromEntries(columns.map((name, index) => [name, record[index] ?? '']));
  const parsed = rowSchema.safeParse({ email: fields.email, password: fields.password, notes: fields.notes ?? '' });
  if (!parsed.success) return { line, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  return { line, ...parsed.data };
}
