/** How a command prints: a table for people, JSON for scripts (`--json`). */
export interface Output {
  json: boolean;
  /** Rows as a table, or as a JSON array. */
  table(rows: readonly object[], columns?: string[]): void;
  /** One object as key: value lines, or as JSON. */
  record(value: object): void;
  /** A line for people only; nothing with --json. */
  line(text: string): void;
  /** The result as JSON with --json, otherwise the line given. */
  result(value: unknown, text: string): void;
}

const MAX_CELL = 48;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString().replace('T', ' ').slice(0, 19)
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** `rows` as aligned text columns. */
export function formatTable(rows: readonly object[], columns?: string[]): string {
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => names.map((name) => cell((row as Record<string, unknown>)[name])));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(names), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function createOutput(json: boolean, write: (text: string) => void = (t) => process.stdout.write(t)): Output {
  const print = (text: string) => write(`${text}\n`);
  return {
    json,
    table(rows, columns) {
      if (json) return print(JSON.stringify(rows, null, 2));
      print(rows.length === 0 ? '(none)' : formatTable(rows, columns));
    },
    record(value) {
      if (json) return print(JSON.stringify(value, null, 2));
      const width = Math.max(0, ...Object.keys(value).map((key) => key.length));
      for (const [key, v] of Object.entries(value)) print(`${key.padEnd(width)}  ${cell(v)}`);
    },
    line(text) {
      if (!json) print(text);
    },
    result(value, text) {
      print(json ? JSON.stringify(value, null, 2) : text);
    },
  };
}

/** 1234567 as "1.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
