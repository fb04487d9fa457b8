import { ConfigError, parseEnv } from '@handover/core';
import { ArkeselClient } from './arkesel/arkeselClient';
import { arkeselEnvSchema } from './arkesel/env';
import type { SmsSender } from './smsSender';

/**
 * The SMS provider the outbox's `sms` channel sends through (Arkesel), from the ARKESEL_*
 * variables: on when ARKESEL_API_KEY is set. Without it texts wait in the outbox, unsent, which
 * `required` (the worker in production) refuses at start. A bad variable stops the process,
 * named.
 */
export function buildSmsSender(
  env: Record<string, string | undefined>,
  app: string,
  { required = false }: { required?: boolean } = {},
): SmsSender | null {
  if (!env.ARKESEL_API_KEY) {
    if (required) throw new ConfigError(app, ['ARKESEL_API_KEY is required: texts are sent through Arkesel']);
    return null;
  }
  return new ArkeselClient(parseEnv(app, arkeselEnvSchema, env));
}
