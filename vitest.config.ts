import { defineConfig } from 'vitest/config';

// Two cores: at most two test files at once, each in its own process.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages,prisma-free-db,scripts}/**/src/**/*.test.ts', 'scripts/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            '{apps,packages,prisma-free-db}/*/test/**/*.test.ts',
            'prisma-free-db/test/**/*.test.ts',
            'scripts/test/**/*.test.ts',
          ],
          // The chaos suite has its own command and config (vitest.chaos.config.ts).
          exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts', '**/*.chaos.test.ts'],
          globalSetup: ['./scripts/test/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Journeys through the built back office and portal in Debian's Chromium, against the real server,
        // worker and sandbox: one browser at a time.
        test: {
          name: 'browser',
          include: ['apps/*/test/**/*.browser.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: [
            './scripts/test/globalSetup.ts',
            './apps/admin/test/support/buildAdmin.ts',
            './apps/portal/test/support/buildPortal.ts',
          ],
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
