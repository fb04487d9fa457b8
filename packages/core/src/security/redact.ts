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
    return typeof v === 'string' ? redactCredentialsInText(v) : v;
  };
  return walk(value, 0) as T;
}

/** `Bearer <token>` as an Authorization header, or a message quoting one, writes it (RFC 6750's token characters). */
const BEARER_VALUE = /\b(Bearer)([ \t]+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** An API token by its prefix, wherever it is quoted. */
const API_TOKEN = /\bhov_(pat|svc)_[A-Za-z0-9_-]+/g;

/**
 * A text (a log message, an error's message or stack, a field's value) with any credential an
 * Authorization header carries replaced: `Bearer [redacted]`, and API tokens by their prefix.
 */
export function redactCredentialsInText(text: string): string {
  if (!/bearer|hov_/i.test(text)) return text;
  return text.replace(BEARER_VALUE, `$1$2${REDACTED}`).replace(API_TOKEN, REDACTED);
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

/** Query parameters of an inbound link that carry a credential, besides the secret-looking names. */
const LINK_SECRET_PARAM = /^(code|sig|key|otp|ticket|session|state|t)$/i;
/** A path segment that is a bearer token (a download link's, an SSO link's): long, URL-safe, not a UUID. */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{24,}(\.[A-Za-z0-9_-]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request URL (path and query, or absolute) fit for a log line: the value of every
 * credential-carrying query parameter (`token`, `access_token`, `signature`, `code`, ...) and
 * every token-like path segment (`/downloads/<token>`) is replaced. Reset, verification,
 * download and SSO links all carry their secret one of those two ways.
 */
export function redactRequestUrl(url: string): string {
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const safePath = path
    .split('/')
    .map((segment) => (TOKEN_SEGMENT.test(segment) && !UUID.test(segment) ? REDACTED : segment))
    .join('/');
  if (!query) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // An undecodable name is judged as it is written.
      }
      return SECRET_KEY.test(name) || LINK_SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}
