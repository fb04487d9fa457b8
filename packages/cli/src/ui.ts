import { confirm, isCancel, progress, spinner } from '@clack/prompts';
import { CliError, EXIT } from './exitCodes.ts';

/**
 * Spinners, progress bars and questions, on stderr so that stdout stays the command's result
 * (a table, or JSON for a script). Without a terminal they keep quiet and nothing is asked.
 */
export interface Ui {
  /** Runs `work` with a spinner saying `message`; the spinner says `done(result)` after. */
  spin<T>(
    message: string,
    work: (update: (message: string) => void) => Promise<T>,
    done?: (result: T) => string,
  ): Promise<T>;
  /** A bar of `max` steps; `advance` moves it on. */
  bar(message: string, max: number): { advance(step: number, message?: string): void; stop(message: string): void };
  /** Asks for a yes; `assumeYes` (--yes) answers it; with no terminal, it must. */
  confirm(question: string, assumeYes: boolean): Promise<void>;
}

export function createUi(interactive = Boolean(process.stderr.isTTY && process.stdin.isTTY)): Ui {
  const output = process.stderr;
  return {
    async spin(message, work, done) {
      if (!interactive) return work(() => {});
      const s = spinner({ output });
      s.start(message);
      try {
        const result = await work((text) => s.message(text));
        s.stop(done ? done(result) : message);
        return result;
      } catch (error) {
        s.error(message);
        throw error;
      }
    },
    bar(message, max) {
      if (!interactive) return { advance: () => {}, stop: () => {} };
      const p = progress({ output, max: Math.max(1, max) });
      p.start(message);
      return { advance: (step, text) => p.advance(step, text), stop: (text) => p.stop(text) };
    },
    async confirm(question, assumeYes) {
      if (assumeYes) return;
      if (!interactive) {
        throw new CliError(`${question} Add --yes to go ahead without a terminal to answer.`, EXIT.usage);
      }
      const answer = await confirm({ message: question, output, initialValue: false });
      if (isCancel(answer) || !answer) throw new CliError('Nothing was done.', EXIT.cancelled);
    },
  };
}
