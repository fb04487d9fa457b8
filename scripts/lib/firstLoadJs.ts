import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The portal's first load, gzipped, may not exceed this: pages and drivers beyond the landing page load on demand. */
export const PORTAL_FIRST_LOAD_BUDGET_BYTES = 100 * 1024;

export interface FirstLoadJs {
  files: { path: string; bytes: number; gzipBytes: number }[];
  totalGzipBytes: number;
}

/**
 * The JavaScript a built page loads before it can show anything: its module scripts and the
 * modules it preloads, as named in `index.html`, with their gzipped sizes (what a browser
 * downloads from a server that compresses).
 */
export function firstLoadJs(distDir: string): FirstLoadJs {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const paths = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) if (match[1]) paths.add(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g)) {
    if (match[1]) paths.add(match[1]);
  }
  if (paths.size === 0) throw new Error(`${distDir}/index.html loads no script: is it a build?`);
  const files = [...paths].map((path) => {
    const content = readFileSync(join(distDir, path.replace(/^\//, '')));
    return { path, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  return { files, totalGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0) };
}
