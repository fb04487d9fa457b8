import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';
import { CliError, EXIT } from './exitCodes.ts';

/** What `handover login` keeps: where Handover is, the token, and whose it is. */
const savedSchema = z.object({
  url: z.url(),
  token: z.string().min(1),
  email: z.string(),
  role: z.string(),
});
export type SavedLogin = z.output<typeof savedSchema>;

/** The user's config folder (XDG on Linux, Library/Preferences on macOS, AppData on Windows), or HANDOVER_CONFIG_DIR. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HANDOVER_CONFIG_DIR || envPaths('handover', { suffix: '' }).config;
}

const fileIn = (env: NodeJS.ProcessEnv) => join(configDir(env), 'config.json');

/** Saves the login readable by its owner only (mode 600, in a folder of mode 700). */
export function saveLogin(login: SavedLogin, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = fileIn(env);
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // The mode above applies only to a new file; an older one is narrowed too.
  chmodSync(file, 0o600);
  return file;
}

export function forgetLogin(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(fileIn(env), { force: true });
}

/**
 * The login to use: HANDOVER_URL and HANDOVER_TOKEN when both are set (for CI), otherwise the
 * saved one; a clear error when there is neither.
 */
export function currentLogin(env: NodeJS.ProcessEnv = process.env): SavedLogin {
  if (env.HANDOVER_URL && env.HANDOVER_TOKEN) {
    return { url: env.HANDOVER_URL, token: env.HANDOVER_TOKEN, email: '', role: env.HANDOVER_ROLE ?? '' };
  }
  let text: string;
  try {
    text = readFileSync(fileIn(env), 'utf8');
  } catch {
    throw new CliError('Not logged in: run `handover login --url <url> --token <token>` first.', EXIT.unauthorized);
  }
  const parsed = savedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new CliError(`${fileIn(env)} is not a saved login: run \`handover login\` again.`, EXIT.unauthorized);
  }
  return parsed.data;
}
