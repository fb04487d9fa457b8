import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildSpa } from '../../../../scripts/test/buildSpa';

declare module 'vitest' {
  export interface ProvidedContext {
    portalBuild: string;
  }
}

/** Builds the customer portal once per run, into a temporary folder the server then serves at /. */
export default async function setup(project: TestProject): Promise<() => void> {
  const built = await buildSpa(fileURLToPath(new URL('../..', import.meta.url)), 'portal');
  project.provide('portalBuild', built.outDir);
  return built.remove;
}
