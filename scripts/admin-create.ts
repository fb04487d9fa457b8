// `pnpm admin:create -- --email <email> [--name <name>]`: creates the first admin, or makes an
// existing user an admin. The password comes from HANDOVER_ADMIN_PASSWORD or is asked for;
// there is no default.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { passwordSchema } from '@handover/contracts';
import {
  ConfigError,
  createOrPromoteAdmin,
  envDatabaseUrl,
  parseEnv,
  passwordCostFromLog2,
  systemClock,
} from '@handover/core';
import { migrate, openOrm } from '@handover/db';
import { z } from 'zod';

const envSchema = z.object({
  DATABASE_URL: envDatabaseUrl,
  PASSWORD_HASH_COST_LOG2: z.coerce.number().int().min(10).max(20).default(17),
  HANDOVER_ADMIN_PASSWORD: z.string().optional(),
});

const argsSchema = z.object({
  email: z.email({ error: '--email must be an email address' }),
  name: z.string().trim().min(1).max(200).optional(),
});

/** Reads a line without echoing it, from a terminal only: a password must not come from a pipe by accident. */
async function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new Error('No terminal to ask for the password on: set HANDOVER_ADMIN_PASSWORD instead.');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput(text: string): void };
  let muted = false;
  output._writeToOutput = (text) => {
    if (!muted) process.stdout.write(text);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  const env = parseEnv('admin:create', envSchema, process.env);
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  const args = argsSchema.safeParse(values);
  if (!args.success)
    throw new Error(`usage: pnpm admin:create -- --email <email> [--name <name>]\n${z.prettifyError(args.error)}`);

  let password = env.HANDOVER_ADMIN_PASSWORD;
  if (password === undefined) {
    password = await promptPassword('Password for the admin (at least 10 characters): ');
    const again = await promptPassword('Same password again: ');
    if (again !== password) throw new Error('The passwords differ; nothing was changed.');
  }
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new Error(`The password is refused: ${checked.error.issues[0]?.message}`);

  await migrate(env.DATABASE_URL);
  const orm = await openOrm({ url: env.DATABASE_URL, poolMax: 2 });
  try {
    const result = await createOrPromoteAdmin(
      orm.em.fork(),
      { email: args.data.email, name: args.data.name, password: checked.data },
      passwordCostFromLog2(env.PASSWORD_HASH_COST_LOG2),
      systemClock,
    );
    console.log(
      result.created
        ? `Created admin ${args.data.email.toLowerCase()}.`
        : `${args.data.email.toLowerCase()} is now an admin, with the new password; their other sessions were ended.`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : `admin:create: ${(error as Error).message}`);
  process.exit(1);
});
