// Browser-safe: how a domain is shown, in the portal and the back office alike. A domain is
// stored and provisioned in its ASCII (punycode) form, which is what DNS and the providers see;
// its Unicode form is shown beside it when they differ, and a name mixing writing systems in one
// label (a Cyrillic "а" among Latin letters: the look-alike of someone else's domain) is flagged.

import { normalizeHostname } from './hostname';

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digitOf(char: number): number {
  if (char >= 0x30 && char <= 0x39) return char - 22;
  if (char >= 0x41 && char <= 0x5a) return char - 0x41;
  if (char >= 0x61 && char <= 0x7a) return char - 0x61;
  return BASE;
}

/** RFC 3492's decoding of one label's punycode (the part after `xn--`), or null when it is not valid. */
function decodePunycode(input: string): string | null {
  const output: number[] = [];
  const dash = input.lastIndexOf('-');
  for (let i = 0; i < Math.max(dash, 0); i++) {
    const code = input.charCodeAt(i);
    if (code >= 0x80) return null;
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = dash > 0 ? dash + 1 : 0; index < input.length; ) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= input.length) return null;
      const digit = digitOf(input.charCodeAt(index++));
      if (digit >= BASE) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      w *= BASE - t;
      if (w > 0x7fffffff) return null;
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    if (n > 0x10ffff) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

/** The Unicode form of an ASCII domain: each `xn--` label decoded (left as it is when it does not decode). */
export function domainToUnicode(ascii: string): string {
  return ascii
    .split('.')
    .map((label) => (label.toLowerCase().startsWith('xn--') ? (decodePunycode(label.slice(4)) ?? label) : label))
    .join('.');
}

/** The scripts a look-alike is made of; a letter in none of them counts as its own. */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Devanagari',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Bopomofo',
  'Cherokee',
] as const;
const SCRIPT_TESTS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')] as const);

/** Scripts written together by one language (UTS #39's "highly restrictive" sets): not a warning. */
const USED_TOGETHER = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const char of label) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(SCRIPT_TESTS.find(([, test]) => test.test(char))?.[0] ?? 'Other');
  }
  return found;
}

/** True when one label mixes writing systems that no language writes together. */
function mixesScripts(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size < 2) return false;
  return !USED_TOGETHER.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

export interface DomainDisplay {
  /** What DNS, the providers and Handover's records hold: the name to copy, and the one provisioned. */
  ascii: string;
  /** How the name reads; the same as `ascii` for a name with no `xn--` label. */
  unicode: string;
  /** A label mixes writing systems (e.g. Latin with Cyrillic): quite possibly a look-alike of another name. */
  mixedScripts: boolean;
}

/** A domain (typed or stored) as it is to be shown: its provisioned ASCII form first, its Unicode form beside it. */
export function describeDomain(name: string): DomainDisplay {
  const ascii = normalizeHostname(name);
  const unicode = domainToUnicode(ascii);
  return { ascii, unicode, mixedScripts: unicode.split('.').some(mixesScripts) };
}

/** Said beside a domain that mixes scripts. */
export const MIXED_SCRIPTS_WARNING =
  'This name mixes alphabets (for example Latin and Cyrillic letters), as look-alikes of other domains do. Check it is the domain you mean.';
