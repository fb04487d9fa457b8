import { defineConfig } from 'vitest/config';

// `pnpm test:chaos` (docs/runbook.md, "Chaos suite"): real processes under faults, one file at a
// time, apart from `pnpm test` so that CI runs it once, after everything else.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    projects: [
      {
        test: {
          name: 'chaos',
          include: ['apps/*/test/**/*.chaos.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 420_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
