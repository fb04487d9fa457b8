import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildSpa } from '../../../../scripts/test/buildSpa';

declare module 'vitest' {
  export interface ProvidedContext {
    adminBuild: string;
  }
}

/** Builds the back office once per run, into a temporary folder the server then serves at /admin/. */
export default async function setup(project: TestProject): Promise<() => void> {
  const built = await buildSpa(fileURLToPath(new URL('../..', import.meta.url)), 'admin');
  project.provide('adminBuild', built.outDir);
  return built.remove;
}
