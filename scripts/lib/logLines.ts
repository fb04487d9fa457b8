const COLORS = [36, 35, 33, 32, 34, 91];
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Prefixes a process's output with its name and shows pino JSON lines as `LEVEL message {fields}`. */
export function linePrinter(name: string, index: number): (line: string) => void {
  const tag = process.stdout.isTTY ? `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(8)}\x1b[0m` : name.padEnd(8);
  return (line) => {
    if (!line.trim()) return;
    let text = line;
    if (line.startsWith('{')) {
      try {
        const { level, msg, time: _time, pid: _pid, hostname: _host, app: _app, ...rest } = JSON.parse(line);
        const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
        text = `${(LEVELS[level] ?? String(level)).padEnd(5)} ${msg ?? ''}${fields}`;
      } catch {
        // Not JSON after all: print as is.
      }
    }
    process.stdout.write(`${tag} ${text}\n`);
  };
}
