import { resolve } from 'node:path';
import { createHandoverClient, type HandoverClient } from '@handover/client';
import { currentLogin, type SavedLogin } from './config.ts';
import type { Output } from './output.ts';
import type { Ui } from './ui.ts';

/** What every command works with. */
export interface CommandContext {
  out: Output;
  ui: Ui;
  env: NodeJS.ProcessEnv;
  /** The saved login (or HANDOVER_URL/HANDOVER_TOKEN); throws "not logged in" when there is none. */
  login(): SavedLogin;
  /** The SDK, logged in. */
  client(): HandoverClient;
  /** A path the user typed, from the folder they typed it in (pnpm runs scripts from the repository root). */
  path(file: string): string;
}

export function createContext(out: Output, ui: Ui, env: NodeJS.ProcessEnv = process.env): CommandContext {
  let client: HandoverClient | undefined;
  const login = () => currentLogin(env);
  return {
    out,
    ui,
    env,
    login,
    client() {
      if (!client) {
        const saved = login();
        client = createHandoverClient({ url: saved.url, token: saved.token });
      }
      return client;
    },
    path: (file) => resolve(env.INIT_CWD ?? process.cwd(), file),
  };
}

/** Staff see the back office's lists; customers their own. */
export function isStaff(login: SavedLogin): boolean {
  return ['ops', 'finance', 'admin'].includes(login.role);
}
