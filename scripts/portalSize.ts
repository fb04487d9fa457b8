/**
 * `pnpm portal:size`: builds the customer portal as production does and reports the JavaScript
 * its first page load needs, gzipped, against the 100 KB budget. Exits non-zero over budget.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PORTAL_FIRST_LOAD_BUDGET_BYTES as BUDGET_BYTES, firstLoadJs } from './lib/firstLoadJs';

const root = fileURLToPath(new URL('..', import.meta.url));

execFileSync('pnpm', ['--filter', '@handover/portal', 'build'], { cwd: root, stdio: 'inherit' });
const report = firstLoadJs(fileURLToPath(new URL('../apps/portal/dist', import.meta.url)));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
for (const file of report.files) console.log(`${file.path}: ${kb(file.bytes)} (${kb(file.gzipBytes)} gzipped)`);
console.log(`first_load_js_gzip_kb: ${(report.totalGzipBytes / 1024).toFixed(1)}`);
console.log(`budget_kb: ${BUDGET_BYTES / 1024}`);
if (report.totalGzipBytes > BUDGET_BYTES) {
  console.error(
    `The portal's first load is ${kb(report.totalGzipBytes)} gzipped, over the ${kb(BUDGET_BYTES)} budget.`,
  );
  process.exit(1);
}
