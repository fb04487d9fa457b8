import { createHandoverClient } from '@handover/client';
import type { Command } from 'commander';
import { forgetLogin, saveLogin } from '../config.ts';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exitCodes.ts';

export function authCommands(program: Command, ctx: () => CommandContext): void {
  program
    .command('login')
    .description('check a token against Handover and keep it in your config folder (readable by you only)')
    .requiredOption('--url <url>', 'the Handover server, e.g. https://handover.example.com')
    .requiredOption('--token <token>', 'an API token (hov_pat_… or hov_svc_…); make one on your account page')
    .action(async (options: { url: string; token: string }) => {
      const c = ctx();
      let url: URL;
      try {
        url = new URL(options.url);
      } catch {
        throw new CliError(`--url "${options.url}" is not a URL`, EXIT.usage);
      }
      const client = createHandoverClient({ url: url.toString(), token: options.token });
      const who = await c.ui.spin(`Checking the token with ${url.origin}`, () => client.apiTokens.whoami.query());
      const file = saveLogin(
        { url: url.toString().replace(/\/$/, ''), token: options.token, email: who.user.email, role: who.user.role },
        c.env,
      );
      c.out.result(
        { url: url.origin, email: who.user.email, role: who.user.role, scopes: who.token?.scopes ?? [], config: file },
        `Logged in to ${url.origin} as ${who.user.email} (${who.user.role}), scopes: ${(who.token?.scopes ?? []).join(', ')}.\nSaved in ${file}.`,
      );
    });

  program
    .command('logout')
    .description('forget the saved token (revoke it on your account page to end it everywhere)')
    .action(() => {
      const c = ctx();
      forgetLogin(c.env);
      c.out.result({ loggedOut: true }, 'Logged out.');
    });

  program
    .command('whoami')
    .description('who the saved token speaks for, and its scopes')
    .action(async () => {
      const c = ctx();
      const who = await c.client().apiTokens.whoami.query();
      c.out.record({ email: who.user.email, role: who.user.role, scopes: who.token?.scopes ?? [], url: c.login().url });
    });
}
