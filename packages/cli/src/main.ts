import { Command, CommanderError } from 'commander';
import { authCommands } from './commands/auth.ts';
import { inventoryCommands } from './commands/inventory.ts';
import { logCommands } from './commands/logs.ts';
import { orderCommands } from './commands/orders.ts';
import { productCommands } from './commands/products.ts';
import { recordCommands } from './commands/records.ts';
import { reportCommands } from './commands/reports.ts';
import { type CommandContext, createContext } from './context.ts';
import { EXIT, explain } from './exitCodes.ts';
import { createOutput } from './output.ts';
import { createUi } from './ui.ts';

/** The `handover` command. Exit codes: see EXIT (0 ok, 1 failed, 2 usage, 3 not logged in, 4 forbidden, …). */
export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('handover')
    .description('Handover from a terminal or a script: tables for people, --json for scripts')
    .option('--json', 'print JSON (for scripts) instead of tables')
    .showHelpAfterError()
    .exitOverride();
  let context: CommandContext | undefined;
  const ctx = () => {
    context ??= createContext(createOutput(Boolean(program.opts().json)), createUi(), env);
    return context;
  };
  authCommands(program, ctx);
  orderCommands(program, ctx);
  recordCommands(program, ctx);
  logCommands(program, ctx);
  reportCommands(program, ctx);
  productCommands(program, ctx);
  inventoryCommands(program, ctx);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; a wrong command line is a usage error (already printed).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { exitCode, message } = explain(error);
    if (program.opts().json) process.stdout.write(`${JSON.stringify({ error: message, exitCode })}\n`);
    process.stderr.write(`handover: ${message}\n`);
    return exitCode;
  }
}

// pnpm passes the `--` that separates its own options on to the script.
const args = process.argv.slice(2);
process.exitCode = await main([process.argv[0] ?? 'node', 'handover', ...(args[0] === '--' ? args.slice(1) : args)]);
