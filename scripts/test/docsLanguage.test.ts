import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Words of the team's own specifications, which a reader of the docs has never seen. */
const JARGON = [/\bseed 0\d\d\b/i, /\bseed's\b/i, /§\s?\d/, /\bphase \d\b/i];

describe('the docs speak to their readers', () => {
  const pages = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => join('docs', name))];

  it('use none of the internal references to specifications (seed 000, §5.4, phase 2)', () => {
    const found = pages.flatMap((page) =>
      readFileSync(join(root, page), 'utf8')
        .split('\n')
        .flatMap((line, n) => (JARGON.some((word) => word.test(line)) ? [`${page}:${n + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('describe the portal checkout that exists, not one that comes later', () => {
    expect(readFileSync(join(root, 'docs', 'payments.md'), 'utf8')).not.toMatch(/checkout[^.]*comes? later/i);
  });
});
