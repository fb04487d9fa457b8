/** Text no honest client sends and PostgreSQL cannot store: refused where it enters, naming the field. */
export interface UnsafeText {
  /** The field, as a form names it: `name`, `domains.0.domain`; `input` for the whole of it. */
  field: string;
  problem: 'nul' | 'control' | 'invalid_unicode' | 'too_deep';
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters but tab, line feed and carriage return: no form has them, terminals obey them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const MAX_DEPTH = 64;

function problemOf(text: string): UnsafeText['problem'] | null {
  if (text.includes('\u0000')) return 'nul';
  if (CONTROL.test(text)) return 'control';
  if (LONE_SURROGATE.test(text)) return 'invalid_unicode';
  return null;
}

/**
 * The first string (value or key) in `value` that holds a NUL or another control character
 * (tab and line breaks aside), or half of a UTF-16 pair, which JSON can spell (`\u0000`,
 * `\ud800`) even when the bytes are valid UTF-8.
 */
export function findUnsafeText(value: unknown): UnsafeText | null {
  const walk = (v: unknown, path: string[]): UnsafeText | null => {
    const field = () => path.join('.') || 'input';
    if (typeof v === 'string') {
      const problem = problemOf(v);
      return problem ? { field: field(), problem } : null;
    }
    if (!v || typeof v !== 'object') return null;
    if (path.length > MAX_DEPTH) return { field: field(), problem: 'too_deep' };
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (const [key, inner] of entries) {
      const keyProblem = problemOf(key);
      if (keyProblem) return { field: field(), problem: keyProblem };
      const found = walk(inner, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  return walk(value, []);
}

/** What the caller is told about the field. */
export function unsafeTextMessage(unsafe: UnsafeText): string {
  switch (unsafe.problem) {
    case 'nul':
      return `${unsafe.field} contains a NUL character, which is not allowed.`;
    case 'control':
      return `${unsafe.field} contains a control character, which is not allowed.`;
    case 'invalid_unicode':
      return `${unsafe.field} is not valid Unicode text.`;
    case 'too_deep':
      return `${unsafe.field} is nested too deeply.`;
  }
}
