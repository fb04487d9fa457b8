/** A PHP value as `unserialize()` yields it; arrays keep their keys (PHP arrays are ordered maps). */
export type PhpValue = null | boolean | number | string | Map<string | number, PhpValue>;

/**
 * Reads PHP's `serialize()` format, which WHMCS expects base64-encoded in `customfields` and
 * `configoptions`. Supports what those carry: arrays, strings (lengths in bytes), integers,
 * floats, booleans and null. Throws on anything else or on trailing bytes.
 */
export function phpUnserialize(input: string): PhpValue {
  const bytes = Buffer.from(input, 'utf8');
  const reader = { bytes, at: 0 };
  const value = readValue(reader);
  if (reader.at !== bytes.length) throw new Error(`unexpected data at byte ${reader.at}`);
  return value;
}

interface Reader {
  bytes: Buffer;
  at: number;
}

function readValue(r: Reader): PhpValue {
  const type = String.fromCharCode(r.bytes[r.at] ?? 0);
  if (type === 'N') {
    expect(r, 'N;');
    return null;
  }
  expect(r, `${type}:`);
  switch (type) {
    case 'b':
      return readUntil(r, ';') === '1';
    case 'i': {
      const text = readUntil(r, ';');
      if (!/^-?\d+$/.test(text)) throw new Error(`bad integer "${text}"`);
      return Number(text);
    }
    case 'd': {
      const value = Number(readUntil(r, ';'));
      if (Number.isNaN(value)) throw new Error('bad float');
      return value;
    }
    case 's': {
      const length = Number(readUntil(r, ':'));
      expect(r, '"');
      const text = r.bytes.subarray(r.at, r.at + length).toString('utf8');
      r.at += length;
      expect(r, '";');
      return text;
    }
    case 'a': {
      const count = Number(readUntil(r, ':'));
      expect(r, '{');
      const map = new Map<string | number, PhpValue>();
      for (let i = 0; i < count; i += 1) {
        const key = readValue(r);
        if (typeof key !== 'string' && typeof key !== 'number')
          throw new Error('array keys must be strings or integers');
        map.set(key, readValue(r));
      }
      expect(r, '}');
      return map;
    }
    default:
      throw new Error(`unsupported type "${type}" at byte ${r.at - 2}`);
  }
}

function expect(r: Reader, text: string): void {
  const found = r.bytes.subarray(r.at, r.at + text.length).toString('utf8');
  if (found !== text) throw new Error(`expected "${text}" at byte ${r.at}`);
  r.at += text.length;
}

function readUntil(r: Reader, end: string): string {
  const stop = r.bytes.indexOf(end, r.at);
  if (stop < 0) throw new Error(`expected "${end}" after byte ${r.at}`);
  const text = r.bytes.subarray(r.at, stop).toString('utf8');
  r.at = stop + 1;
  return text;
}

/**
 * `customfields` as WHMCS reads it: base64 of a serialized array of field id -> value.
 * Returns the values by field id, or an error message when the parameter cannot be read.
 */
export function decodeCustomFields(encoded: string): Map<number, string> | { error: string } {
  let value: PhpValue;
  try {
    value = phpUnserialize(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch (error) {
    return { error: `customfields is not a base64 encoded serialized array: ${(error as Error).message}` };
  }
  if (!(value instanceof Map)) return { error: 'customfields is not a base64 encoded serialized array' };
  const fields = new Map<number, string>();
  for (const [key, inner] of value) {
    const id = Number(key);
    if (!Number.isInteger(id)) return { error: `customfields key "${key}" is not a field id` };
    fields.set(id, inner === null ? '' : String(inner));
  }
  return fields;
}
