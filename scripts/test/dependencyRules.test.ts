import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config: IConfiguration = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));

/** The rules broken in `baseDir`, as `rule: from → to`. */
async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const { output } = await cruise(paths, {
    ...config.options,
    baseDir,
    ruleSet: { forbidden: config.forbidden },
    validate: true,
    outputType: 'json',
  });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  const planted = mkdtempSync(join(tmpdir(), 'handover-deps-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  const plant = (files: Record<string, string>) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(planted, path)), { recursive: true });
      writeFileSync(join(planted, path), content);
    }
  };

  it('holds for the whole repository, test files included', async () => {
    expect(await violations(root, ['apps', 'packages', 'prisma-free-db', 'scripts'])).toEqual([]);
  }, 60_000);

  it('refuses each forbidden import planted in a tree of the same layout, and only those', async () => {
    plant({
      'packages/integrations/src/vendor.ts': 'export const vendor = 1;\n',
      'packages/core/src/engine.ts':
        "import { vendor } from '../../integrations/src/vendor';\nexport const x = vendor;\n",
      'packages/core/src/fine.ts': "import { rule } from '../../contracts/src/rule';\nexport const y = rule;\n",
      'packages/contracts/src/rule.ts': 'export const rule = 1;\n',
      'packages/contracts/src/node.ts': "import { readFileSync } from 'node:fs';\nexport const z = readFileSync;\n",
      'packages/contracts/src/server.ts': "import { x } from '../../core/src/engine';\nexport const w = x;\n",
      'prisma-free-db/src/entity.ts': "import { x } from '../../packages/core/src/engine';\nexport const e = x;\n",
      'packages/api/src/router.ts': "import { x } from '../../core/src/engine';\nexport type AppRouter = typeof x;\n",
      'packages/api/src/withIntegrations.ts':
        "import { vendor } from '../../integrations/src/vendor';\nexport const a = vendor;\n",
      'packages/integrations/src/usesApi.ts': "import { x } from '../../api/src/router';\nexport const u = x;\n",
      'apps/portal/src/page.ts': "import { x } from '../../../packages/core/src/engine';\nexport const p = x;\n",
      'apps/portal/src/typed.ts':
        "import type { AppRouter } from '../../../packages/api/src/router';\nexport type T = AppRouter;\n",
      'apps/admin/src/router.ts': "import { x } from '../../../packages/api/src/router';\nexport const r = x;\n",
      'apps/sandbox/src/emulator.ts':
        "import { rule } from '../../../packages/contracts/src/rule';\nexport const s = rule;\n",
    });
    expect(await violations(planted, ['apps', 'packages', 'prisma-free-db'])).toEqual(
      [
        'browser-apps-import-no-server-code: apps/portal/src/page.ts → packages/core/src/engine.ts',
        'browser-apps-take-only-the-api-type: apps/admin/src/router.ts → packages/api/src/router.ts',
        'contracts-are-browser-safe: packages/contracts/src/node.ts → fs',
        'contracts-are-browser-safe: packages/contracts/src/server.ts → packages/core/src/engine.ts',
        'core-imports-no-edge: packages/core/src/engine.ts → packages/integrations/src/vendor.ts',
        'db-imports-no-domain: prisma-free-db/src/entity.ts → packages/core/src/engine.ts',
        'integrations-import-no-api: packages/integrations/src/usesApi.ts → packages/api/src/router.ts',
        'sandbox-imports-nothing-of-the-product: apps/sandbox/src/emulator.ts → packages/contracts/src/rule.ts',
      ].sort(),
    );
  }, 60_000);
});
