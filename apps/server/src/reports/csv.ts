import type { Readable } from 'node:stream';
import { type ReportColumn, type SqlQuery, selectColumns } from '@handover/core';

/** A text cell starting with one of these would run as a formula in a spreadsheet. */
const FORMULA_START = String.raw`'^[=+@\t\r-]'`;

/**
 * The report's rows as PostgreSQL's CSV COPY should write them: a text cell that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading `'`.
 * COPY quotes as RFC 4180 does and leaves an empty cell for null.
 */
export function csvQuery(columns: ReportColumn[], query: SqlQuery): SqlQuery {
  return selectColumns(columns, query, (names) =>
    names
      .map((name, i) =>
        columns[i]?.type === 'text'
          ? `case when ${name} ~ ${FORMULA_START} then '''' || ${name} else ${name} end`
          : name,
      )
      .join(', '),
  );
}

/**
 * The CSV: the header row at once (the download visibly starts while the query is planned), then
 * the rows as COPY writes them. Pulled, not pushed: the database is read only when the response
 * wants more.
 */
export async function* csvBody(columns: ReportColumn[], rows: Readable): AsyncGenerator<Buffer> {
  yield Buffer.from(`${columns.map((column) => column.header).join(',')}\n`);
  yield* rows;
}
