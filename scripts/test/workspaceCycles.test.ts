import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Each workspace package (pnpm-workspace.yaml's folders) and the workspace packages it depends on. */
function workspaceGraph(): Map<string, string[]> {
  const folders = ['apps', 'packages'].flatMap((parent) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name)),
  );
  const manifests = [...folders, 'prisma-free-db', 'scripts'].flatMap((folder) => {
    try {
      return [JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest];
    } catch {
      return [];
    }
  });
  const names = new Set(manifests.map((m) => m.name));
  return new Map(
    manifests.map((m) => [
      m.name,
      Object.keys({ ...m.dependencies, ...m.devDependencies }).filter((dep) => names.has(dep)),
    ]),
  );
}

/** Every cycle, as `a → b → a`. */
function cycles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const walk = (name: string, path: string[]) => {
    for (const next of graph.get(name) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) found.add([...path.slice(at), next].join(' → '));
      else walk(next, [...path, next]);
    }
  };
  for (const name of graph.keys()) walk(name, [name]);
  return [...found].sort();
}

describe('workspace packages', () => {
  it('depend on one another without a cycle, so pnpm starts without warning of one', () => {
    const graph = workspaceGraph();
    expect(graph.get('@handover/worker')).toBeDefined();
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a planted cycle', () => {
    const planted = new Map([
      ['a', ['b']],
      ['b', ['a']],
    ]);
    expect(cycles(planted)).toContain('a → b → a');
  });
});
