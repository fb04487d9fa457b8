import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { domainName, nameserverList, type ZoneStore } from '../dns/zones';
import { randomId } from '../shared/ids';
import { rateLimitSchema, SlidingWindowLimiter } from '../shared/rateLimit';
import { DomainOwnership } from '../shared/registrarAccounts';
import { emptyElement, errorResponse, okResponse } from './xml';

const ipv4List = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.ipv4('must be IPv4 addresses, comma-separated')));

export const namecheapEmulatorEnv = z.object({
  /**
   * A sandbox account that takes any domain no other account holds, for clicking through in
   * dev. Its key is random unless set: the sandbox starts and nobody uses that account.
   */
  NAMECHEAP_SANDBOX_API_USER: z.string().min(1).max(20, 'must be at most 20 characters').default('sandboxuser'),
  NAMECHEAP_SANDBOX_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomId(32, '0123456789abcdef')),
  /** The sandbox account's allow-listed client IPs. */
  NAMECHEAP_SANDBOX_CLIENT_IPS: ipv4List.default(['127.0.0.1']),
});

export interface NamecheapEmulatorOptions {
  sandboxAccount: { apiUser: string; apiKey: string; clientIps: string[] };
  /** setCustom writes here, so the sandbox DNS answers with the new nameservers. */
  zones: ZoneStore;
  now?: () => Date;
}

interface Account {
  apiKey: string;
  clientIps: Set<string>;
}

/** Assumed allowance (the limit pages found give none): 50 calls a minute per API user. */
const RATE_LIMIT = { limit: 50, windowSeconds: 60 };

const accountBody = z.object({
  apiUser: z.string().min(1).max(20),
  apiKey: z.string().min(1),
  clientIps: z.array(z.ipv4()).default(['127.0.0.1']),
  domains: z.array(domainName).default([]),
});
const clientIpsBody = z.object({ clientIps: z.array(z.ipv4()) });
const domainBody = z.object({ domain: domainName });
const userParams = z.object({ apiUser: z.string().min(1) });

/**
 * Namecheap's XML API (namecheap.com/support/api): one endpoint, `/xml.response`, taking the
 * global parameters ApiUser, ApiKey, UserName, ClientIp and Command in the query (or a form body),
 * names read without regard to case. Answers are ApiResponse documents, Status OK or ERROR with
 * numbered errors from the docs' global table (1011102 key invalid, 1011150 request IP not
 * allow-listed, ...) and setCustom's own (2019166 domain not found, 2016166 domain not associated
 * with your account). Commands: namecheap.domains.dns.setCustom (SLD, TLD, Nameservers) and
 * namecheap.domains.getList. Namecheap compares the caller's address with the allow-list; every
 * caller of the sandbox is local, so this emulator compares the ClientIp parameter instead.
 */
export function namecheapEmulator(options: NamecheapEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const accounts = new Map<string, Account>();
  const ownership = new DomainOwnership(options.sandboxAccount.apiUser.toLowerCase());
  const limiter = new SlidingWindowLimiter(RATE_LIMIT, now);
  const resetAccounts = () => {
    accounts.clear();
    ownership.reset();
    accounts.set(options.sandboxAccount.apiUser.toLowerCase(), {
      apiKey: options.sandboxAccount.apiKey,
      clientIps: new Set(options.sandboxAccount.clientIps),
    });
  };
  resetAccounts();

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = lowerCaseKeys({ ...(request.query as object), ...((request.body as object | undefined) ?? {}) });
    const command = params.command ?? '';
    const xml = (status: number, text: string) => reply.code(status).type('text/xml; charset=utf-8').send(text);
    const fail = (number: number, message: string) => xml(200, errorResponse(command, [[number, message]]));

    if (!params.apiuser) return fail(1010101, 'Parameter APIUser is missing');
    if (!params.apikey) return fail(1010102, 'Parameter APIKey is missing');
    if (!params.command) return fail(1010104, 'Parameter Command is missing');
    if (!params.clientip) return fail(1010105, 'Parameter ClientIP is missing');
    if (!params.username) return fail(1019103, 'Parameter UserName is not available');
    const apiUser = params.apiuser.toLowerCase();
    const account = accounts.get(apiUser);
    if (!account || account.apiKey !== params.apikey) {
      return fail(1011102, 'API Key is invalid or API access has not been enabled');
    }
    if (!account.clientIps.has(params.clientip)) return fail(1011150, `Invalid request IP: ${params.clientip}`);
    // Reseller access to other users' accounts is not emulated: UserName must be the API user.
    if (params.username.toLowerCase() !== apiUser) return fail(1016103, 'Parameter UserName is unauthorized');
    const taken = limiter.take(apiUser);
    if (!taken.allowed) {
      // Assumed: HTTP 429 with Retry-After, and the usual ERROR document.
      reply.header('retry-after', String(taken.retryAfterSeconds));
      return xml(429, errorResponse(command, [[500000, 'Too many requests']]));
    }

    switch (command.toLowerCase()) {
      case 'namecheap.domains.dns.setcustom':
        return xml(200, setCustom(params, apiUser, command));
      case 'namecheap.domains.getlist':
        return xml(200, getList(apiUser, command));
      default:
        return fail(5050900, `Unknown command: ${command}`);
    }
  };

  /** The ApiResponse for namecheap.domains.dns.setCustom (OK or one of its documented errors). */
  const setCustom = (params: Record<string, string | undefined>, apiUser: string, command: string): string => {
    const fail = (number: number, message: string) => errorResponse(command, [[number, message]]);
    const domain = domainName.safeParse(`${params.sld ?? ''}.${params.tld ?? ''}`);
    if (!params.sld || !params.tld || !domain.success) return fail(2019166, 'Domain not found');
    const relation = ownership.relation(domain.data, apiUser);
    if (relation === 'nobody') return fail(2019166, 'Domain not found');
    if (relation === 'other') return fail(2016166, 'Domain is not associated with your account');
    const nameservers = nameserverList.safeParse((params.nameservers ?? '').split(',').filter((ns) => ns.trim()));
    if (!nameservers.success) return fail(2011168, 'Nameservers are not valid');
    options.zones.setNameservers(domain.data, nameservers.data);
    const result = emptyElement('DomainDNSSetCustomResult', { Domain: domain.data, Updated: true });
    return okResponse(command, 'namecheap.domains.dns.setCustom', result);
  };

  const getList = (apiUser: string, command: string) => {
    const names = ownership.domainsOf(apiUser);
    const today = now();
    const domains = names.map((name, index) =>
      emptyElement('Domain', {
        ID: index + 1,
        Name: name,
        User: apiUser,
        Created: usDate(today, 0),
        Expires: usDate(today, 1),
        IsExpired: false,
        IsLocked: false,
        AutoRenew: false,
        WhoisGuard: 'ENABLED',
        IsPremium: false,
        IsOurDNS: options.zones.get(name) === undefined,
      }),
    );
    const paging = `<Paging><TotalItems>${names.length}</TotalItems><CurrentPage>1</CurrentPage><PageSize>${Math.max(20, names.length)}</PageSize></Paging>`;
    return okResponse(
      command,
      'namecheap.domains.getList',
      `<DomainGetListResult>${domains.join('')}</DomainGetListResult>${paging}`,
    );
  };

  return {
    name: 'namecheap',
    prefix: '/namecheap',
    register(app: FastifyInstance) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
      app.get('/xml.response', handle);
      app.post('/xml.response', handle);
    },
    control(app: FastifyInstance) {
      app.get('/accounts', async () => ({
        // API keys are never shown.
        accounts: [...accounts.entries()].map(([apiUser, account]) => ({
          apiUser,
          clientIps: [...account.clientIps],
          domains: ownership.domainsOf(apiUser),
          holdsUnclaimedDomains: ownership.isCatchAll(apiUser),
        })),
      }));
      app.post('/accounts', async (request, reply) => {
        const body = accountBody.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const apiUser = body.data.apiUser.toLowerCase();
        accounts.set(apiUser, { apiKey: body.data.apiKey, clientIps: new Set(body.data.clientIps) });
        for (const domain of body.data.domains) ownership.assign(domain, apiUser);
        return reply.code(201).send({ apiUser, clientIps: body.data.clientIps, domains: ownership.domainsOf(apiUser) });
      });
      app.put('/accounts/:apiUser/client-ips', async (request, reply) => {
        const apiUser = userParams.parse(request.params).apiUser.toLowerCase();
        const account = accounts.get(apiUser);
        const body = clientIpsBody.safeParse(request.body ?? {});
        if (!account) return reply.code(404).send({ error: 'unknown account' });
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        account.clientIps = new Set(body.data.clientIps);
        return { apiUser, clientIps: body.data.clientIps };
      });
      app.post('/accounts/:apiUser/domains', async (request, reply) => {
        const apiUser = userParams.parse(request.params).apiUser.toLowerCase();
        const body = domainBody.safeParse(request.body ?? {});
        if (!accounts.has(apiUser)) return reply.code(404).send({ error: 'unknown account' });
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        ownership.assign(body.data.domain, apiUser);
        return { apiUser, domains: ownership.domainsOf(apiUser) };
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
      limiter.configure(RATE_LIMIT);
    },
  };
}

function lowerCaseKeys(params: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') out[key.toLowerCase()] = value.trim();
  }
  return out;
}

/** Namecheap's MM/DD/YYYY, `years` from `date`. */
function usDate(date: Date, years: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear() + years}`;
}
