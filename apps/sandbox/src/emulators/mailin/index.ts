import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { domainName, type ZoneStore } from '../dns/zones';
import { randomSecret } from '../shared/ids';
import { rateLimitSchema, SlidingWindowLimiter } from '../shared/rateLimit';
import { DomainBook, type MailinDomain } from './domains';
import { validationBody, zodValidationBody } from './laravel';
import { type JobTiming, type Mailbox, MailboxBook, type MailboxJob } from './mailboxes';
import { TokenStore } from './tokens';

export const mailinEmulatorEnv = z.object({
  /** The Mailin.ai account Handover logs in with; the server and worker read the same names. */
  MAILIN_AI_EMAIL: z.email('must be an email address').default('automation@mailin.test'),
  /** Unset, a random one is made: the sandbox starts, and nobody logs in until it is configured. */
  MAILIN_AI_PASSWORD: z
    .string()
    .min(8, 'must be at least 8 characters')
    .default(() => randomSecret()),
});

export interface MailinEmulatorOptions {
  email: string;
  password: string;
  /** The sandbox DNS: a transferred domain turns active once it delegates to Mailin.ai's nameservers. */
  zones: ZoneStore;
  now?: () => Date;
}

/** What the control API can change; `reset()` puts these back. */
const settingsSchema = z
  .object({
    /** `expires_in` of new tokens. */
    tokenTtlSeconds: z.number().int().min(1).max(31_536_000),
    pollsToComplete: z.number().int().min(1).max(10_000).nullable(),
    completeAfterMs: z.number().int().min(0).max(86_400_000).nullable(),
    /** How long a transferred domain's delegation must be seen before it turns active (propagation); null: at once. */
    activationDelayMs: z.number().int().min(0).max(86_400_000).nullable(),
    /** Laravel's API throttle, counted for the account. */
    throttle: rateLimitSchema,
  })
  .strict();
type Settings = z.output<typeof settingsSchema>;
const DEFAULTS: Settings = {
  tokenTtlSeconds: 3600,
  pollsToComplete: 2,
  completeAfterMs: null,
  activationDelayMs: null,
  throttle: { limit: 60, windowSeconds: 60 },
};

/**
 * The documented custom statuses a test can make the next calls answer with: 310 API communication
 * error (worth retrying), 311 request refused, 312 subscription required, 313 incomplete action.
 */
const injectedErrorSchema = z
  .object({
    statusCode: z.union([z.literal(310), z.literal(311), z.literal(312), z.literal(313)]),
    message: z.string().min(1).max(500).optional(),
    remaining: z.number().int().min(1).max(1000).default(1),
  })
  .strict();
const CUSTOM_STATUS_MESSAGES: Record<number, string> = {
  310: 'Error communicating with another API. You may try again.',
  311: 'The request cannot be completed because the data was not prepared.',
  312: 'You do not have an active subscription.',
  313: 'An error occurred mid-process; some parts may be incomplete.',
};

const loginBody = z.object({
  email: z.string({ error: 'The email field is required.' }).trim().min(1, 'The email field is required.'),
  password: z.string({ error: 'The password field is required.' }).min(1, 'The password field is required.'),
  device_name: z
    .string({ error: 'The device name field is required.' })
    .trim()
    .min(1, 'The device name field is required.'),
});
const domainsQuery = z.object({
  name: z.string().trim().optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(15),
  page: z.coerce.number().int().min(1).default(1),
});
const transferBody = z.object({
  domain_name: z.string({ error: 'The domain name field is required.' }).pipe(domainName),
});
const mailboxesBody = z.object({
  /** Some clients send it; the domain is taken from each username, as the seed's requests show. */
  domain_id: z.number().int().optional(),
  mailboxes: z
    .array(
      z.object({
        username: z
          .email('The username field must be a valid email address.')
          .transform((value) => value.toLowerCase()),
        name: z.string({ error: 'The name field is required.' }).trim().min(1, 'The name field is required.').max(255),
        password: z
          .string({ error: 'The password field is required.' })
          .min(8, 'The password field must be at least 8 characters.'),
      }),
      { error: 'The mailboxes field is required.' },
    )
    .min(1, 'The mailboxes field is required.')
    .max(100, 'The mailboxes field must not have more than 100 items.'),
});
const jobParams = z.object({ uuid: z.string().min(1) });
const domainParams = z.object({ domain: domainName });
const failBody = z.object({ message: z.string().min(1).max(500).default('Mailbox provisioning failed.') });

/**
 * Mailin.ai, from its public API documentation (dev.app.mailin.ai/api-documentation: every path
 * under /api/v1/public, POST /auth/login with email, password and device_name for a bearer token,
 * 401 without a valid token, 422 with Laravel's validation body, the custom 2xx/3xx statuses) and,
 * where the docs are silent, seed 001's API section: GET /domains?name=, POST /domains/transfer,
 * POST /mailboxes answering 210 with a job uuid, GET /mailboxes/status/{uuid}. Mailin.ai documents no
 * idempotency header; this emulator honours `Idempotency-Key` on POST /mailboxes (Handover's choice),
 * and refuses an address that already exists whether or not a key is sent.
 */
export function mailinEmulator(options: MailinEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const tokens = new TokenStore();
  let settings: Settings = structuredClone(DEFAULTS);
  const domains = new DomainBook(options.zones, () => settings.activationDelayMs);
  const mailboxes = new MailboxBook();
  const throttle = new SlidingWindowLimiter(settings.throttle, now);
  let injected: z.output<typeof injectedErrorSchema> | undefined;

  /** Before every call but the login, in Mailin.ai's order: the token, the throttle, then any error asked for. */
  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!tokens.isValid(token, now())) return reply.code(401).send({ message: 'Unauthenticated.' });
    const taken = throttle.take('account');
    reply.header('x-ratelimit-limit', String(throttle.settings.limit));
    if (!taken.allowed) {
      return reply
        .code(429)
        .header('retry-after', String(taken.retryAfterSeconds))
        .header('x-ratelimit-remaining', '0')
        .send({ message: 'Too Many Attempts.' });
    }
    reply.header('x-ratelimit-remaining', String(taken.remaining));
    if (injected) {
      const { statusCode, message } = injected;
      injected = injected.remaining > 1 ? { ...injected, remaining: injected.remaining - 1 } : undefined;
      return reply.code(statusCode).send({ success: false, message: message ?? CUSTOM_STATUS_MESSAGES[statusCode] });
    }
  };

  return {
    name: 'mailin',
    prefix: '/mailin',
    idempotencyHeader: 'Idempotency-Key',
    async register(app: FastifyInstance) {
      await app.register(
        async (api) => {
          api.post('/auth/login', async (request, reply) => {
            const body = loginBody.safeParse(request.body ?? {});
            if (!body.success) return reply.code(422).send(zodValidationBody(body.error));
            if (
              body.data.email.toLowerCase() !== options.email.toLowerCase() ||
              body.data.password !== options.password
            ) {
              // Laravel Sanctum's documented way: a validation error on `email`.
              return reply.code(422).send(validationBody({ email: ['The provided credentials are incorrect.'] }));
            }
            const issued = tokens.issue(body.data.device_name, settings.tokenTtlSeconds, now());
            // The docs show user_id and token; expires_in is what seed 001 caches the token by.
            return { user_id: 1, token: issued.token, expires_in: issued.expiresIn };
          });

          await api.register(async (authed) => {
            authed.addHook('preHandler', admit);

            authed.get('/domains', async (request, reply) => {
              const query = domainsQuery.safeParse(request.query);
              if (!query.success) return reply.code(422).send(zodValidationBody(query.error));
              const { name, per_page, page } = query.data;
              const found = domains.search(name ?? '', now());
              const items = found.slice((page - 1) * per_page, page * per_page);
              return {
                current_page: page,
                data: items.map(domainView),
                last_page: Math.max(1, Math.ceil(found.length / per_page)),
                per_page,
                total: found.length,
              };
            });

            authed.post('/domains/transfer', async (request, reply) => {
              const body = transferBody.safeParse(request.body ?? {});
              if (!body.success) return reply.code(422).send(zodValidationBody(body.error));
              const started = domains.transfer(body.data.domain_name, now());
              if (started.kind === 'taken') {
                return reply
                  .code(422)
                  .send(validationBody({ domain_name: ['The domain name has already been taken.'] }));
              }
              return {
                success: true,
                message: 'Domain transfer process started',
                name_servers: started.domain.nameservers,
              };
            });

            authed.post('/mailboxes', async (request, reply) => {
              const body = mailboxesBody.safeParse(request.body ?? {});
              if (!body.success) return reply.code(422).send(zodValidationBody(body.error));
              const key = request.headers['idempotency-key'];
              const idempotencyKey = typeof key === 'string' && key ? key : undefined;
              const fingerprint = createHash('sha256').update(JSON.stringify(body.data)).digest('hex');
              const replay = mailboxes.replay(idempotencyKey, fingerprint);
              if (replay.kind === 'replayed') return reply.code(210).send(accepted(replay.job));
              if (replay.kind === 'key_reused') {
                return reply.code(422).send({
                  message: 'This Idempotency-Key was used with a different request.',
                  errors: { idempotency_key: ['This Idempotency-Key was used with a different request.'] },
                });
              }

              const errors: Record<string, string[]> = {};
              const seen = new Set<string>();
              const requested = body.data.mailboxes.map((mailbox, index) => {
                const field = `mailboxes.${index}.username`;
                const domain = domains.get(mailbox.username.split('@')[1] ?? '', now());
                if (!domain) {
                  errors[field] = [`The domain '${mailbox.username.split('@')[1]}' is not registered to your account.`];
                } else if (domain.status !== 'active') {
                  errors[field] = [`The domain '${domain.name}' is not active yet.`];
                } else if (seen.has(mailbox.username) || mailboxes.isTaken(mailbox.username)) {
                  errors[field] = [`The mailbox '${mailbox.username}' is already registered to your account.`];
                }
                seen.add(mailbox.username);
                return { username: mailbox.username, name: mailbox.name, domainId: domain?.id ?? 0 };
              });
              if (Object.keys(errors).length > 0) return reply.code(422).send(validationBody(errors));
              const job = mailboxes.start(requested, idempotencyKey, fingerprint, now());
              // 210 is Mailin.ai's documented "Accepted": the job has begun.
              return reply.code(210).send(accepted(job));
            });

            authed.get('/mailboxes/status/:uuid', async (request, reply) => {
              const { uuid } = jobParams.parse(request.params);
              const job = mailboxes.read(uuid, timing(settings), now());
              if (!job) return reply.code(404).send({ message: 'Mailbox job not found.' });
              return jobView(job, mailboxes.mailboxesOf(job));
            });
          });
        },
        { prefix: '/api/v1/public' },
      );
    },
    control(app: FastifyInstance) {
      app.get('/domains', async () => ({ domains: domains.list() }));
      app.post('/domains/:domain/activate', async (request, reply) => {
        const params = domainParams.safeParse(request.params);
        if (!params.success) return reply.code(400).send({ error: z.prettifyError(params.error) });
        return domains.forceActive(params.data.domain, now());
      });
      app.get('/tokens', async () => tokens.summary(now()));
      app.post('/tokens/expire', async () => ({ expired: tokens.expireAll(now()) }));
      app.get('/mailboxes', async () => ({ mailboxes: mailboxes.listMailboxes() }));
      app.get('/jobs', async () => ({ jobs: mailboxes.listJobs() }));
      app.post('/jobs/:uuid/complete', async (request, reply) => {
        const job = mailboxes.complete(jobParams.parse(request.params).uuid, now());
        return job ?? reply.code(409).send({ error: 'no such unfinished job' });
      });
      app.post('/jobs/:uuid/fail', async (request, reply) => {
        const body = failBody.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const job = mailboxes.fail(jobParams.parse(request.params).uuid, body.data.message, now());
        return job ?? reply.code(409).send({ error: 'no such unfinished job' });
      });
      app.get('/settings', async () => settings);
      app.put('/settings', async (request, reply) => {
        const body = settingsSchema.partial().safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        settings = { ...settings, ...body.data };
        if (body.data.throttle) throttle.configure(body.data.throttle);
        return settings;
      });
      app.put('/next-error', async (request, reply) => {
        const body = injectedErrorSchema.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        injected = body.data;
        return injected;
      });
    },
    reset() {
      tokens.reset();
      domains.reset();
      mailboxes.reset();
      settings = structuredClone(DEFAULTS);
      throttle.configure(settings.throttle);
      injected = undefined;
    },
  };
}

function timing(settings: Settings): JobTiming {
  return { pollsToComplete: settings.pollsToComplete, completeAfterMs: settings.completeAfterMs };
}

function accepted(job: MailboxJob) {
  return { success: true, uuid: job.uuid, message: 'Mailbox creation job started' };
}

function domainView(domain: MailinDomain) {
  return {
    id: domain.id,
    name: domain.name,
    status: domain.status,
    name_server_status: domain.nameServerStatus,
    name_servers: domain.nameservers,
    created_at: domain.createdAt,
  };
}

/** Seed 001's completed answer: the job's status twice, and the mailboxes it created. */
function jobView(job: MailboxJob, created: Mailbox[]) {
  const data =
    job.status === 'completed'
      ? created.map((mailbox) => ({
          id: mailbox.id,
          username: mailbox.username,
          domain_id: mailbox.domainId,
          name: mailbox.name,
        }))
      : [];
  return {
    success: true,
    status: job.status,
    data: { status: job.status, data },
    ...(job.message ? { message: job.message } : {}),
  };
}
