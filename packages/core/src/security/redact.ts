const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|backup[-_]?codes|private[-_]?key|signature|client[-_]?secret/i;

export const REDACTED = '[redacted]';

/**
 * Copies `value` with every secret-looking field replaced. Used for provider request/response
 * logs and the API-response viewer: whatever is stored or shown has passed through here.
 */
export function redact<T>(value: T, extraKeys: readonly string[] = []): T {
  const extra = new Set(extraKeys.map((k) => k.toLowerCase()));
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 20) return '[too deep]';
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        out[key] = SECRET_KEY.test(key) || extra.has(key.toLowerCase()) ? REDACTED : walk(inner, depth + 1);
      }
      return out;
    }
    return v;
  };
  return walk(value, 0) as T;
}

/**
 * Only plain objects are copied: class instances (a request, an Error, a Date) keep their
 * prototype, so the logger's serializers still recognise them.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Redacts secret query parameters of a URL (Namecheap, for one, puts its ApiKey in the query). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_KEY.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return url;
  }
}
