import { isDomainName, normalizeHostname } from '@handover/contracts';
import { PermanentError, TransientError } from '@handover/core';
import { z } from 'zod';
import { JsonClient, type JsonRequest } from '../../http/jsonClient';
import { type MailinConfig, mailinConfigSchema } from './env';
import { hasHttpStatus, recode } from './errors';

/** Seed 001 step 6.3: a mailbox job is checked every 10 seconds, at most 30 times (5 minutes). */
export const MAILBOX_JOB_POLLING = { intervalMs: 10_000, maxAttempts: 30 } as const;

/** Seed 001: a login without `expires_in` is taken to last an hour. */
const DEFAULT_TOKEN_SECONDS = 3600;
/** Seed 001: the token is kept until 60 seconds before it expires. */
const TOKEN_MARGIN_SECONDS = 60;

export interface NewMailbox {
  /** The full address, `john@example.com`. */
  username: string;
  name: string;
  password: string;
}

export interface CreatedMailbox {
  id: number;
  username: string;
  domainId: number;
  name: string;
}

export type MailboxJobStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface MailboxJob {
  status: MailboxJobStatus;
  /** Filled once the job is `completed`. */
  mailboxes: CreatedMailbox[];
  message: string | null;
}

/**
 * Seed 001 step 4.3, with each case apart: `active` (mailboxes can be made), `pending` (known to
 * Mailin.ai, not active yet: transfer or wait), `not_found` (never transferred), and
 * `network_error` (Mailin.ai could not be asked: check again later).
 */
export type MailinDomainStatus =
  | { status: 'active' | 'pending'; domain: string; domainId: number; nameservers: string[] }
  | { status: 'not_found'; domain: string }
  | { status: 'network_error'; domain: string; error: TransientError };

const hostname = z.string().trim().refine(isDomainName, 'is not a host name').transform(normalizeHostname);
/** Mailin.ai sends nameservers as a list or as one comma-separated string. */
const nameserverField = z
  .union([z.array(z.string()), z.string()])
  .nullish()
  .transform((value) => (typeof value === 'string' ? value.split(',') : (value ?? [])).filter((ns) => ns.trim()))
  .pipe(z.array(hostname));
/** Statuses come as words (`active`) or as `1`, which means active. */
const statusWord = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : String(value).toLowerCase()))
  .transform((value) => (value === '1' ? 'active' : value));

const loginResponse = z.object({ token: z.string().min(1), expires_in: z.number().int().nonnegative().optional() });
const domainList = z.object({
  data: z.array(
    z.object({
      id: z.coerce.number().int(),
      name: z.string(),
      status: statusWord,
      name_servers: nameserverField.optional(),
    }),
  ),
});
const transferResponse = z.object({
  name_servers: nameserverField.pipe(z.array(z.string()).min(1, 'names no nameserver')),
});
const createResponse = z.object({ uuid: z.string().min(1) });
const jobResponse = z.object({
  status: statusWord
    .transform((value) => (value === 'active' ? 'completed' : value))
    .pipe(z.enum(['pending', 'processing', 'completed', 'failed'])),
  data: z
    .object({
      data: z
        .array(
          z.object({
            id: z.coerce.number().int(),
            username: z.string(),
            domain_id: z.coerce.number().int(),
            name: z.string(),
          }),
        )
        .nullish(),
    })
    .nullish(),
  message: z.string().nullish(),
});

/**
 * Mailin.ai's API (seed 001, API Integration Details). Logs in with the account's email,
 * password and device name, keeps the token until 60 seconds before `expires_in`, and logs in
 * again once when a call answers 401 (a second 401 is an authentication error). Passwords and
 * tokens are hidden in every logged call.
 */
export class MailinClient {
  private readonly http: JsonClient;
  private readonly config: z.output<typeof mailinConfigSchema>;
  private readonly now: () => number;
  private cached: { token: string; validUntil: number } | undefined;
  private loggingIn: Promise<string> | undefined;

  constructor(config: MailinConfig, options: { fetch?: typeof fetch; now?: () => number } = {}) {
    const parsed = mailinConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Mailin.ai client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.now = options.now ?? Date.now;
    this.http = new JsonClient({
      provider: 'mailin',
      baseUrl: parsed.data.baseUrl,
      timeoutMs: parsed.data.timeoutMs,
      // Mailin.ai documents no idempotency header; Handover sends this one (the sandbox honours it).
      idempotencyHeader: 'Idempotency-Key',
      // Also caught by the usual secret pattern; named so that a change there cannot leak them.
      redactKeys: ['password', 'token'],
      fetch: options.fetch,
    });
  }

  /** GET /domains?name=: where the domain stands with Mailin.ai. Only a refusal (not a network fault) throws. */
  async domainStatus(domain: string): Promise<MailinDomainStatus> {
    const name = normalizeHostname(domain);
    try {
      const { data } = await this.authorized({
        method: 'GET',
        path: 'domains',
        query: { name, per_page: 100 },
        response: domainList,
      });
      // The filter matches parts of names: only the exact one counts.
      const found = data.find((candidate) => normalizeHostname(candidate.name) === name);
      if (!found) return { status: 'not_found', domain: name };
      return {
        status: found.status === 'active' ? 'active' : 'pending',
        domain: name,
        domainId: found.id,
        nameservers: found.name_servers ?? [],
      };
    } catch (error) {
      if (hasHttpStatus(error, 404)) return { status: 'not_found', domain: name };
      if (error instanceof TransientError) return { status: 'network_error', domain: name, error };
      throw error;
    }
  }

  /**
   * POST /domains/transfer: the nameservers the customer's registrar must delegate to. A domain
   * Mailin.ai already has (a retried transfer) answers with the nameservers it was given then.
   */
  async transferDomain(domain: string): Promise<{ nameservers: string[]; alreadyTransferred: boolean }> {
    const name = normalizeHostname(domain);
    try {
      const { name_servers } = await this.authorized({
        method: 'POST',
        path: 'domains/transfer',
        body: { domain_name: name },
        response: transferResponse,
      });
      return { nameservers: name_servers, alreadyTransferred: false };
    } catch (error) {
      if (!(hasHttpStatus(error, 422) && /already/i.test(error.message))) throw error;
      const existing = await this.domainStatus(name);
      if (existing.status === 'network_error') throw existing.error;
      if (existing.status === 'not_found' || existing.nameservers.length === 0) throw error;
      return { nameservers: existing.nameservers, alreadyTransferred: true };
    }
  }

  /**
   * POST /mailboxes: starts a job creating them. The same `idempotencyKey` (one per record and
   * step) makes a retry answer with the first job instead of creating the mailboxes twice.
   */
  async createMailboxes(mailboxes: NewMailbox[], idempotencyKey: string): Promise<{ jobId: string }> {
    if (mailboxes.length === 0) throw new PermanentError('No mailboxes to create', 'invalid_request');
    try {
      const { uuid } = await this.authorized({
        method: 'POST',
        path: 'mailboxes',
        body: { mailboxes: mailboxes.map(({ username, name, password }) => ({ username, name, password })) },
        idempotencyKey,
        response: createResponse,
      });
      return { jobId: uuid };
    } catch (error) {
      if (!hasHttpStatus(error, 422)) throw error;
      // Laravel puts the first problem in the message (the seed's service reads the same texts).
      if (/already registered/i.test(error.message)) throw recode(error, 'mailin_mailbox_exists');
      if (/is not registered|not active/i.test(error.message)) throw recode(error, 'mailin_domain_not_ready');
      throw error;
    }
  }

  /** GET /mailboxes/status/{uuid}: the job's status, and the mailboxes once it has completed. */
  async mailboxJobStatus(jobId: string): Promise<MailboxJob> {
    try {
      const job = await this.authorized({
        method: 'GET',
        path: `mailboxes/status/${encodeURIComponent(jobId)}`,
        response: jobResponse,
      });
      return {
        status: job.status,
        mailboxes: (job.data?.data ?? []).map((mailbox) => ({
          id: mailbox.id,
          username: mailbox.username.toLowerCase(),
          domainId: mailbox.domain_id,
          name: mailbox.name,
        })),
        message: job.message ?? null,
      };
    } catch (error) {
      if (hasHttpStatus(error, 404)) throw recode(error, 'mailin_job_not_found');
      throw error;
    }
  }

  /**
   * Checks the job every `intervalMs` until it completes, at most `maxAttempts` times (seed 001:
   * 10 s, 30 times). A failed job is a PermanentError; one still running after the last check
   * is a TransientError, as it may yet finish.
   */
  async waitForMailboxJob(
    jobId: string,
    options: { intervalMs?: number; maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {},
  ): Promise<MailboxJob> {
    const { intervalMs, maxAttempts } = { ...MAILBOX_JOB_POLLING, ...options };
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const job = await this.mailboxJobStatus(jobId);
      if (job.status === 'completed') return job;
      if (job.status === 'failed') {
        throw new PermanentError(
          `Mailin.ai mailbox job ${jobId} failed: ${job.message ?? 'no reason given'}`,
          'mailin_job_failed',
        );
      }
      if (attempt < maxAttempts) await sleep(intervalMs);
    }
    throw new TransientError(
      `Mailin.ai mailbox job ${jobId} had not finished after ${maxAttempts} checks`,
      'mailin_job_pending',
    );
  }

  /** A call with the bearer token; on 401 the token is dropped and one fresh login is tried. */
  private async authorized<S extends z.ZodType>(req: JsonRequest<S>): Promise<z.output<S>> {
    const send = (token: string) =>
      this.http.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
    const token = await this.token();
    try {
      return await send(token);
    } catch (error) {
      if (!hasHttpStatus(error, 401)) throw customStatus(error);
      if (this.cached?.token === token) this.cached = undefined;
    }
    try {
      return await send(await this.token());
    } catch (error) {
      if (hasHttpStatus(error, 401)) throw recode(error, 'mailin_auth');
      throw customStatus(error);
    }
  }

  private token(): Promise<string> {
    if (this.cached && this.now() < this.cached.validUntil) return Promise.resolve(this.cached.token);
    // Calls made while logging in wait for that login instead of starting their own.
    this.loggingIn ??= this.login().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  /** POST /auth/login (seed 001: email, password, device_name). */
  private async login(): Promise<string> {
    try {
      const { token, expires_in } = await this.http.request({
        method: 'POST',
        path: 'auth/login',
        body: { email: this.config.email, password: this.config.password, device_name: this.config.deviceName },
        response: loginResponse,
      });
      const keepSeconds = Math.max(0, (expires_in ?? DEFAULT_TOKEN_SECONDS) - TOKEN_MARGIN_SECONDS);
      this.cached = { token, validUntil: this.now() + keepSeconds * 1000 };
      return token;
    } catch (error) {
      // Sanctum refuses credentials with 422 on `email`; 401 and 403 mean the same here.
      if (hasHttpStatus(error, 401, 403, 422)) throw recode(error, 'mailin_auth');
      throw customStatus(error);
    }
  }
}

/**
 * Mailin.ai's documented custom statuses: 310 (another API failed, "you may try again") and 313
 * (stopped mid-way) are worth retrying; 311 (request refused) and 312 (no subscription) are not.
 */
function customStatus(error: unknown): unknown {
  if (!(error instanceof PermanentError)) return error;
  switch (error.options.httpStatus) {
    case 310:
    case 313:
      return new TransientError(error.message, 'provider_unavailable', {
        httpStatus: error.options.httpStatus,
        cause: error,
      });
    case 311:
      return recode(error, 'mailin_request_refused');
    case 312:
      return recode(error, 'mailin_subscription_required');
    default:
      return error;
  }
}
