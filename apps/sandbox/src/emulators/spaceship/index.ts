import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { domainName, type ZoneStore } from '../dns/zones';
import { randomId } from '../shared/ids';
import { rateLimitSchema, SlidingWindowLimiter } from '../shared/rateLimit';
import { DomainOwnership } from '../shared/registrarAccounts';

export const spaceshipEmulatorEnv = z.object({
  /**
   * A sandbox account that takes any domain no other account holds, for clicking through in
   * dev. Unset, random ones are made: the sandbox starts and nobody uses that account.
   */
  SPACESHIP_SANDBOX_API_KEY: z
    .string()
    .min(8, 'must be at least 8 characters')
    .default(() => randomId(20)),
  SPACESHIP_SANDBOX_API_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomId(60)),
});

export interface SpaceshipEmulatorOptions {
  /** The catch-all account (see `spaceshipEmulatorEnv`). */
  sandboxAccount: { apiKey: string; apiSecret: string };
  /** Nameserver updates go here, so the sandbox DNS answers with them. */
  zones: ZoneStore;
  now?: () => Date;
}

/** Spaceship's "basic" nameservers, set when a domain goes back to Spaceship's DNS. */
const BASIC_HOSTS = ['launch1.spaceship.net', 'launch2.spaceship.net'];
/**
 * Spaceship documents a rate limit per operation (300 domain-list reads per user in 300 seconds);
 * the figure for nameserver updates is not in the text found, so this assumes 5 per domain in 300
 * seconds. The control API changes it.
 */
const NAMESERVER_RATE_LIMIT = { limit: 5, windowSeconds: 300 };

const nameserversBody = z.discriminatedUnion(
  'provider',
  [
    z.object({
      provider: z.literal('custom'),
      // Assumed bounds: at least two hosts, as registries ask, and at most twelve.
      hosts: z
        .array(domainName)
        .min(2, 'At least 2 nameservers are required')
        .max(12, 'At most 12 nameservers are allowed'),
    }),
    z.object({ provider: z.literal('basic'), hosts: z.array(z.string()).max(0, 'Must be empty').optional() }),
  ],
  { error: 'provider must be "basic" or "custom"' },
);
const domainParams = z.object({ domain: domainName });
const accountBody = z.object({
  apiKey: z.string().min(1),
  apiSecret: z.string().min(1),
  domains: z.array(domainName).default([]),
});
const domainBody = z.object({ domain: domainName });
const keyParams = z.object({ apiKey: z.string().min(1) });

/**
 * Spaceship's REST API (docs.spaceship.dev): requests authenticated by the X-API-Key and
 * X-API-Secret headers; PUT /api/v1/domains/{domain}/nameservers with `{ provider, hosts }`;
 * errors as RFC 7807 problem documents with `detail` (and `errors` by field), the
 * `spaceship-error-code` and `spaceship-operation-id` headers, and 429 with Retry-After when a
 * rate limit is hit. A domain that is not in the key's account is not found (404), whoever holds it.
 */
export function spaceshipEmulator(options: SpaceshipEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const secrets = new Map<string, string>();
  const ownership = new DomainOwnership(options.sandboxAccount.apiKey);
  const limiter = new SlidingWindowLimiter(NAMESERVER_RATE_LIMIT, now);
  const resetAccounts = () => {
    secrets.clear();
    secrets.set(options.sandboxAccount.apiKey, options.sandboxAccount.apiSecret);
    ownership.reset();
  };
  resetAccounts();

  const problem = (reply: FastifyReply, status: number, detail: string, extra: Record<string, unknown> = {}) =>
    reply
      .code(status)
      .header('spaceship-operation-id', randomId(16, '0123456789abcdef'))
      .type('application/problem+json')
      .send({ detail, ...extra });

  return {
    name: 'spaceship',
    prefix: '/spaceship',
    register(app: FastifyInstance) {
      app.addHook('preHandler', async (request, reply) => {
        const key = request.headers['x-api-key'];
        const secret = request.headers['x-api-secret'];
        if (typeof key !== 'string' || typeof secret !== 'string' || secrets.get(key) !== secret) {
          return problem(reply, 401, 'The API key or API secret is invalid.');
        }
      });

      app.put('/api/v1/domains/:domain/nameservers', async (request, reply) => {
        const params = domainParams.safeParse(request.params);
        const apiKey = request.headers['x-api-key'] as string;
        if (!params.success || ownership.relation(params.data.domain, apiKey) !== 'own') {
          reply.header('spaceship-error-code', 'business.notFound');
          return problem(reply, 404, 'Domain not found.');
        }
        const domain = params.data.domain;
        const taken = limiter.take(domain);
        if (!taken.allowed) {
          reply
            .header('retry-after', String(taken.retryAfterSeconds))
            .header('spaceship-error-code', 'application.rateLimit');
          return problem(reply, 429, 'Too many requests. Please try again later.');
        }
        const body = nameserversBody.safeParse(request.body ?? {});
        if (!body.success) {
          const errors = body.error.issues.map((issue) => ({ field: issue.path.join('.'), details: issue.message }));
          return problem(reply, 422, 'One or more fields are invalid.', { errors });
        }
        const hosts = body.data.provider === 'custom' ? [...new Set(body.data.hosts)] : BASIC_HOSTS;
        options.zones.setNameservers(domain, hosts);
        return reply
          .header('spaceship-operation-id', randomId(16, '0123456789abcdef'))
          .send({ provider: body.data.provider, hosts });
      });
    },
    control(app: FastifyInstance) {
      app.get('/accounts', async () => ({
        // Keys identify accounts here; secrets are never shown.
        accounts: [...secrets.keys()].map((apiKey) => ({
          apiKey,
          domains: ownership.domainsOf(apiKey),
          holdsUnclaimedDomains: ownership.isCatchAll(apiKey),
        })),
      }));
      app.post('/accounts', async (request, reply) => {
        const body = accountBody.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        secrets.set(body.data.apiKey, body.data.apiSecret);
        for (const domain of body.data.domains) ownership.assign(domain, body.data.apiKey);
        return reply.code(201).send({ apiKey: body.data.apiKey, domains: ownership.domainsOf(body.data.apiKey) });
      });
      app.post('/accounts/:apiKey/domains', async (request, reply) => {
        const { apiKey } = keyParams.parse(request.params);
        const body = domainBody.safeParse(request.body ?? {});
        if (!secrets.has(apiKey)) return reply.code(404).send({ error: 'unknown account' });
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        ownership.assign(body.data.domain, apiKey);
        return { apiKey, domains: ownership.domainsOf(apiKey) };
      });
      app.get('/rate-limit', async () => limiter.settings);
      app.put('/rate-limit', async (request, reply) => {
        const body = rateLimitSchema.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        limiter.configure(body.data);
        return body.data;
      });
    },
    reset() {
      resetAccounts();
      limiter.configure(NAMESERVER_RATE_LIMIT);
    },
  };
}
