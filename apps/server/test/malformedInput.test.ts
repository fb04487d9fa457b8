import { randomBytes, randomUUID } from 'node:crypto';
import { appRouter } from '@handover/api';
import { signRequest } from '@handover/core';
import { Product } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { ArkeselClient, manualAdapter } from '@handover/integrations';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browser, createUser, manualClock, PORTAL } from './harness';
import { type PaymentStack, startPaymentStack } from './paymentStack';
import { rawRequest, startReverseProxy } from './support/proxy';

/**
 * What must never be in an error answer: SQL (a statement, a table, a constraint), a stack or
 * file path, a parser's or runtime's own message, or a vendor's words (a gateway's error codes).
 */
const LEAKS: [string, RegExp][] = [
  [
    'SQL',
    /\b(select|insert into|update \S+ set|delete from|returning|violates|constraint|relation "|column "|syntax error at|invalid input syntax|invalid byte sequence|unsupported Unicode escape)\b/i,
  ],
  ['a stack or source path', /(\bat \S+ \(|node_modules|\.ts:\d+|\.js:\d+|file:\/\/)/],
  [
    'a runtime error',
    /\b(TypeError|ReferenceError|RangeError|SyntaxError|URIError|Unexpected token|in JSON at position|is not a function|Cannot read properties)\b/,
  ],
  // PayPal's error names are upper case; ours (`invalid_request`) are not.
  ['a vendor', /\b(INVALID_REQUEST|MISSING_REQUIRED_PARAMETER|INVALID_RESOURCE_ID|VALIDATION_ERROR)\b/],
  [
    'a library',
    /\b(No signatures found|stripe\.com|Standard Webhooks|StripeSignatureVerificationError|WebhookVerificationError|postgres|MikroORM|Fastify|FST_|zod)\b|✖/i,
  ],
];

const SECRET = randomBytes(32).toString('hex');
const CALLBACK_SECRET = 'arkesel-callback-secret-0123456789';
const PASSWORD = 'correct horse battery';
const TOKEN = `${'A'.repeat(43)}.zzzzzz.${'B'.repeat(22)}`;

/** A request and what it was meant to try. */
interface Probe {
  kind: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** JSON for `value` with the string at `field` replaced by `raw` bytes, spliced in as they are. */
function withRawField(value: unknown, field: string, raw: Buffer): Buffer {
  const marker = `@@${randomUUID()}@@`;
  const text = JSON.stringify(value, (key, v) => (key === field ? marker : v));
  const [before = '', after = ''] = text.split(`"${marker}"`);
  return Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
}

const json = (text: string) => Buffer.from(text);
const bytes = (...b: number[]) => Buffer.from(b);
const quoted = (...parts: Buffer[]) => Buffer.concat([json('"'), ...parts, json('"')]);

/**
 * Kinds that are wrong whatever a procedure expects: bytes that are not UTF-8 text, characters
 * no form sends, bodies that are not JSON or not sent as JSON. The others are wrong for a field
 * with a format (an address, a token, a name) and are tried on such fields.
 */
const ALWAYS_BAD = new Set([
  'NUL as a JSON escape',
  'a lone high surrogate escape',
  'a lone low surrogate escape',
  'surrogates in the wrong order',
  'an invalid UTF-8 byte',
  'an overlong UTF-8 encoding',
  'a UTF-8 encoded surrogate',
  'a truncated UTF-8 sequence',
  'a UTF-8 continuation byte alone',
  'terminal escapes',
  'a truncated body',
  'text that is not JSON',
  'a __proto__ key',
  'a constructor.prototype key',
  'a NUL byte between tokens',
  'trailing garbage',
  'a duplicate key holding NUL',
  'a NUL in a key',
  'half a surrogate pair in a key',
  'Latin-1 bytes declared as Latin-1',
  'text/plain',
  'a form post',
  'multipart',
  'an invalid percent escape',
  'a percent-encoded 0xFF',
  'a percent-encoded NUL',
  'a percent-encoded surrogate',
  'a bare percent sign',
  'JSON cut short',
  'JSON with a NUL escape',
  'JSON with a lone surrogate',
  '5 KB of junk',
]);

/**
 * Ways a string field (or the body holding it) can be malformed, each spliced into a procedure's
 * otherwise valid input. Field-level ones replace the field's JSON value; body-level ones the body.
 */
const FIELD_KINDS: [string, Buffer][] = [
  ['NUL as a JSON escape', json('"a\\u0000b"')],
  ['a lone high surrogate escape', json('"a\\ud800b"')],
  ['a lone low surrogate escape', json('"\\udc00"')],
  ['surrogates in the wrong order', json('"\\udc00\\ud800"')],
  ['an invalid UTF-8 byte', quoted(json('a'), bytes(0xff), json('b'))],
  ['an overlong UTF-8 encoding', quoted(bytes(0xc0, 0xaf))],
  ['a UTF-8 encoded surrogate', quoted(bytes(0xed, 0xa0, 0x80))],
  ['a truncated UTF-8 sequence', quoted(bytes(0xe2, 0x82))],
  ['a UTF-8 continuation byte alone', quoted(bytes(0x80))],
  ['a number', json('12345')],
  ['a huge number', json('1e309')],
  ['true', json('true')],
  ['null', json('null')],
  ['an object', json('{"$ne":null}')],
  ['an array', json('["a","b"]')],
  ['200 KB of text', json(JSON.stringify('x'.repeat(200 * 1024)))],
  ['nesting 5,000 deep', json(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
  ['SQL', json(JSON.stringify("x' or '1'='1'; drop table users; --"))],
  ['a header injection', json(JSON.stringify('a@example.com\r\nBcc: everyone@example.com'))],
  ['a right-to-left override', json(JSON.stringify('\u202Emoc.elgoog@evil'))],
  ['terminal escapes', json(JSON.stringify('\u0007\u001b[31mred'))],
  ['a format string', json(JSON.stringify(`%s%s%n%x{0}$${'{7*7}'}`))],
];

/** Whole bodies: not JSON, JSON of the wrong shape, or sent as something else. */
const BODY_KINDS: [string, (valid: string) => { body: Buffer | string; contentType?: string }][] = [
  ['a truncated body', (valid) => ({ body: valid.slice(0, valid.length - 3) })],
  ['text that is not JSON', () => ({ body: 'hello there' })],
  ['an empty body', () => ({ body: '' })],
  ['JSON null', () => ({ body: 'null' })],
  ['a JSON array', () => ({ body: '[1,2,3]' })],
  ['a JSON number', () => ({ body: '42' })],
  ['a JSON string', () => ({ body: '"just a string"' })],
  [
    'the fields without their envelope',
    (valid) => ({ body: JSON.stringify((JSON.parse(valid) as { json: unknown }).json) }),
  ],
  ['a __proto__ key', () => ({ body: '{"json":{"__proto__":{"role":"admin"}}}' })],
  ['a constructor.prototype key', () => ({ body: '{"json":{"constructor":{"prototype":{"role":"admin"}}}}' })],
  [
    'forged superjson metadata (bigint)',
    (valid) => ({
      body: valid.replace(/}$/, ',"meta":{"values":{"email":["bigint"],"token":["bigint"],"name":["bigint"]}}}'),
    }),
  ],
  [
    'forged superjson metadata (unknown type)',
    (valid) => ({ body: valid.replace(/}$/, ',"meta":{"values":{"email":[["custom","nope"]]}}}') }),
  ],
  [
    'superjson metadata at __proto__',
    (valid) => ({ body: valid.replace(/}$/, ',"meta":{"values":{"__proto__.polluted":["Date"]}}}') }),
  ],
  [
    'a NUL byte between tokens',
    (valid) => ({ body: Buffer.concat([json(valid.slice(0, 1)), bytes(0), json(valid.slice(1))]) }),
  ],
  ['trailing garbage', (valid) => ({ body: `${valid}xyz` })],
  ['a duplicate key holding NUL', (valid) => ({ body: valid.replace(/\}\}$/, ',"email":"\\u0000"}}') })],
  ['a NUL in a key', (valid) => ({ body: valid.replace(/^\{"json":\{/, '{"json":{"a\\u0000b":1,') })],
  ['half a surrogate pair in a key', (valid) => ({ body: valid.replace(/^\{"json":\{/, '{"json":{"\\ud83d":1,') })],
  [
    'Latin-1 bytes declared as Latin-1',
    () => ({
      body: Buffer.from('{"json":{"email":"caf\xe9@example.com"}}', 'latin1'),
      contentType: 'application/json; charset=iso-8859-1',
    }),
  ],
  ['text/plain', (valid) => ({ body: valid, contentType: 'text/plain' })],
  ['a form post', () => ({ body: 'email=a%40b.com', contentType: 'application/x-www-form-urlencoded' })],
  [
    'multipart',
    () => ({
      body: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--',
      contentType: 'multipart/form-data; boundary=x',
    }),
  ],
];

/** Ways a query string (a tRPC query's `input`, a report's filters) can be malformed. */
const QUERY_KINDS: [string, string][] = [
  ['an invalid percent escape', '%E0%A4%A'],
  ['a percent-encoded 0xFF', '%FF'],
  ['a percent-encoded NUL', '%00'],
  ['a percent-encoded surrogate', '%ED%A0%80'],
  ['a bare percent sign', '100%'],
  ['JSON cut short', '%7B%22json%22%3A%7B'],
  ['JSON with a NUL escape', encodeURIComponent('{"json":{"pendingOrderId":"\\u0000"}}')],
  ['JSON with a lone surrogate', encodeURIComponent('{"json":{"pendingOrderId":"\\ud800"}}')],
  ['a value that is not an id', encodeURIComponent('{"json":{"pendingOrderId":"1 or 1=1"}}')],
  ['5 KB of junk', 'x'.repeat(5000)],
];

describe.each([
  { mode: 'development, reached directly', env: {} as Record<string, string>, viaProxy: false },
  {
    mode: 'production, behind a reverse proxy',
    env: { NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example', TRUSTED_PROXIES: '127.0.0.1' },
    viaProxy: true,
  },
])(
  'malformed input in $mode: every public procedure and route answers 4xx, with nothing of ours inside',
  ({ env, viaProxy }) => {
    const db = useTestDatabase({ poolMax: 8 });
    const clock = manualClock();
    let stack: PaymentStack;
    let proxy: Awaited<ReturnType<typeof startReverseProxy>> | null = null;
    let base: string;
    let productId: string;
    let financeCookie: string;
    let opsCookie: string;
    let customerCookie: string;
    let customerToken: string;
    const failures: string[] = [];

    beforeAll(async () => {
      stack = await startPaymentStack({
        orm: db.orm,
        databaseUrl: db.url,
        clock,
        drivers: [manualAdapter],
        env: { ...env, PROVISION_API_SECRETS: SECRET },
        sms: new ArkeselClient({
          baseUrl: 'http://127.0.0.1:9/arkesel',
          apiKey: 'arkesel-test-key-0123456789',
          senderId: 'Handover',
          timeoutMs: 1000,
          sendsPerSecond: 10,
          callbackUrl: 'http://127.0.0.1:9/webhooks/sms/arkesel',
          callbackSecret: CALLBACK_SECRET,
        }),
      });
      proxy = viaProxy ? await startReverseProxy(stack.base) : null;
      base = proxy?.url ?? stack.base;
      const em = db.orm.em.fork();
      const product = em.create(Product, {
        slug: 'managed-setup',
        name: 'Managed setup',
        priceMinor: 14900,
        currency: 'USD',
        deliveryModel: 'managed_setup',
        fulfillmentDriver: 'manual',
        fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Set it up.' },
        enabledPaymentGateways: ['sandbox'],
        defaultPaymentGateway: 'sandbox',
      });
      await em.flush();
      productId = product.id;
      await createUser(db.orm, 'finance@example.com', 'finance');
      await createUser(db.orm, 'ops@example.com', 'ops');
      const cookieOf = async (email: string) => {
        const b = browser(base, PORTAL);
        await b.api.auth.signIn.mutate({ email, password: PASSWORD });
        return [...b.jar].map(([name, value]) => `${name}=${value}`).join('; ');
      };
      financeCookie = await cookieOf('finance@example.com');
      opsCookie = await cookieOf('ops@example.com');
      await createUser(db.orm, 'developer@example.com', 'customer');
      customerCookie = await cookieOf('developer@example.com');
      const developer = browser(base, PORTAL);
      await developer.api.auth.signIn.mutate({ email: 'developer@example.com', password: PASSWORD });
      customerToken = (
        await developer.api.apiTokens.create.mutate({
          name: 'probe',
          scopes: ['orders:read', 'orders:place'],
          expiresInDays: 30,
        })
      ).token;
    });
    beforeEach(() => {
      failures.length = 0;
    });
    afterAll(async () => {
      await proxy?.close();
      await stack?.close();
    });

    /** Sends a probe and notes it when the answer is not a 4xx, or says more than it should. */
    async function expectRefused(probe: Probe): Promise<void> {
      // Each probe in a window of its own, so that throttles answer for the probe, not the run.
      clock.advance(60 * 60_000);
      const response = await fetch(`${base}${probe.path}`, {
        method: probe.method ?? (probe.body === undefined ? 'GET' : 'POST'),
        headers: { origin: PORTAL, ...probe.headers },
        body: probe.body,
      });
      const body = await response.text();
      const where = `${probe.kind} → ${probe.method ?? (probe.body === undefined ? 'GET' : 'POST')} ${probe.path.slice(0, 80)}`;
      if (response.status < 400 || response.status > 499)
        failures.push(`${where}: answered ${response.status} ${body.slice(0, 300)}`);
      for (const [what, pattern] of LEAKS) {
        if (pattern.test(body)) failures.push(`${where}: the answer shows ${what}: ${body.slice(0, 300)}`);
      }
    }

    /** The public procedures that take input, each with a valid input and the string field to spoil. */
    const mutations = () => [
      { path: 'auth.signUp', input: { email: 'someone@example.com' }, field: 'email' },
      { path: 'auth.signIn', input: { email: 'someone@example.com', password: PASSWORD }, field: 'email' },
      { path: 'auth.signOut', input: { note: 'x' }, field: 'note', noInput: true },
      { path: 'auth.requestPasswordReset', input: { email: 'someone@example.com' }, field: 'email' },
      { path: 'auth.resetPassword', input: { token: TOKEN, password: PASSWORD }, field: 'token' },
      { path: 'auth.verifyEmail', input: { token: TOKEN, password: PASSWORD, name: 'Ama' }, field: 'name' },
      { path: 'auth.acceptInvite', input: { token: TOKEN, password: PASSWORD, name: 'Ama' }, field: 'name' },
      {
        path: 'checkout.create',
        input: { email: 'buyer@example.com', items: [{ productId, input: { notes: 'two mailboxes' } }] },
        field: 'email',
      },
      // Seed 004: the next order of a split checkout, to pay.
      { path: 'checkout.continue', input: { pendingOrderId: randomUUID() }, field: 'pendingOrderId' },
      {
        path: 'mailboxes.saveCredentials',
        input: {
          hostingPlatform: 'spaceship',
          email: 'buyer@example.com',
          credentials: { spaceshipApiKey: 'sk-live-0123456789abcd', spaceshipApiSecret: 'very-secret-value' },
        },
        field: 'email',
      },
    ];
    /** Whether a kind is tried: a procedure that takes no input ignores well-formed JSON, as it should. */
    const applies = (kind: string, procedure: { noInput?: boolean }) => !procedure.noInput || ALWAYS_BAD.has(kind);

    it('refuses every spoiled field of every public mutation with a 400 that names it', async () => {
      for (const procedure of mutations()) {
        const { path, input, field } = procedure;
        for (const [kind, raw] of FIELD_KINDS) {
          if (!applies(kind, procedure)) continue;
          await expectRefused({
            kind: `${path}: ${field} as ${kind}`,
            path: `/trpc/${path}`,
            headers: { 'content-type': 'application/json' },
            body: withRawField({ json: input }, field, raw),
          });
        }
      }
      // The field a NUL or bad bytes sat in is named, for the form to show beside it.
      for (const raw of [json('"a\\u0000b"'), quoted(bytes(0xff))]) {
        const response = await fetch(`${base}/trpc/checkout.create`, {
          method: 'POST',
          headers: { origin: PORTAL, 'content-type': 'application/json' },
          body: withRawField({ json: mutations().find((m) => m.path === 'checkout.create')?.input }, 'notes', raw),
        });
        expect(response.status).toBe(400);
        expect(JSON.stringify(await response.json())).toContain('items.0.input.notes');
      }
      expect(failures).toEqual([]);
    });

    it('refuses every malformed body of every public mutation', async () => {
      for (const procedure of mutations()) {
        const { path, input } = procedure;
        const valid = JSON.stringify({ json: input });
        for (const [kind, make] of BODY_KINDS) {
          if (!applies(kind, procedure)) continue;
          const { body, contentType } = make(valid);
          await expectRefused({
            kind: `${path}: ${kind}`,
            path: `/trpc/${path}`,
            headers: { 'content-type': contentType ?? 'application/json' },
            body,
          });
        }
        await expectRefused({
          kind: `${path}: a GET for a mutation`,
          path: `/trpc/${path}?input=${encodeURIComponent(valid)}`,
        });
        await expectRefused({
          kind: `${path}: a batch whose inputs do not match its paths`,
          path: `/trpc/${path}?batch=1`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ 0: { json: input }, 7: { json: { email: '\u0000' } } }),
        });
        await expectRefused({
          kind: `${path}: a batch body that is an array`,
          path: `/trpc/${path}?batch=1`,
          headers: { 'content-type': 'application/json' },
          body: '[1,2]',
        });
      }
      expect(failures).toEqual([]);
    });

    /**
     * The signed-in procedures of API tokens, webhooks, review and eSIM, each with a valid input,
     * the field to spoil and who calls it. `freeText`: any well-formed string fits the field, so
     * only the kinds that are wrong everywhere are tried on it.
     */
    const signedInMutations = () => [
      {
        path: 'apiTokens.create',
        who: 'customer',
        input: { name: 'shop site', scopes: ['orders:read'], expiresInDays: 30 },
        field: 'name',
        freeText: true,
      },
      { path: 'apiTokens.revoke', who: 'customer', input: { id: randomUUID() }, field: 'id' },
      {
        path: 'webhooks.create',
        who: 'customer',
        input: { url: 'https://8.8.8.8/hooks', description: 'shop', events: ['order.*'] },
        field: 'url',
      },
      { path: 'webhooks.rotateSecret', who: 'customer', input: { id: randomUUID(), overlapHours: 1 }, field: 'id' },
      { path: 'esim.reveal', who: 'customer', input: { recordId: randomUUID() }, field: 'recordId' },
      { path: 'esim.reissue', who: 'customer', input: { recordId: randomUUID() }, field: 'recordId' },
      { path: 'backOffice.review.approve', who: 'ops', input: { orderId: randomUUID() }, field: 'orderId' },
      {
        path: 'backOffice.review.reject',
        who: 'ops',
        input: { orderId: randomUUID(), reason: 'Not at this address' },
        field: 'reason',
        freeText: true,
      },
      { path: 'backOffice.review.activateNow', who: 'ops', input: { orderId: randomUUID() }, field: 'orderId' },
    ];

    it('refuses every spoiled field of the token, webhook, review and eSIM procedures, by session and by API token', async () => {
      const callers = (who: string): [string, Record<string, string>][] =>
        who === 'ops'
          ? [['ops session', { cookie: opsCookie }]]
          : [
              ['customer session', { cookie: customerCookie }],
              ['API token', { authorization: `Bearer ${customerToken}` }],
            ];
      for (const { path, who, input, field, freeText } of signedInMutations()) {
        for (const [caller, headers] of callers(who)) {
          for (const [kind, raw] of FIELD_KINDS) {
            if (freeText && !ALWAYS_BAD.has(kind)) continue;
            await expectRefused({
              kind: `${path} (${caller}): ${field} as ${kind}`,
              path: `/trpc/${path}`,
              headers: { 'content-type': 'application/json', ...headers },
              body: withRawField({ json: input }, field, raw),
            });
          }
          const valid = JSON.stringify({ json: input });
          for (const [kind, make] of BODY_KINDS) {
            if (!ALWAYS_BAD.has(kind)) continue;
            const { body, contentType } = make(valid);
            await expectRefused({
              kind: `${path} (${caller}): ${kind}`,
              path: `/trpc/${path}`,
              headers: { 'content-type': contentType ?? 'application/json', ...headers },
              body,
            });
          }
        }
      }
      // The field a NUL sat in is named, whoever calls.
      for (const headers of [{ cookie: customerCookie }, { authorization: `Bearer ${customerToken}` }] as Record<
        string,
        string
      >[]) {
        const response = await fetch(`${base}/trpc/esim.reveal`, {
          method: 'POST',
          headers: { origin: PORTAL, 'content-type': 'application/json', ...headers },
          body: withRawField({ json: { recordId: randomUUID() } }, 'recordId', json('"a\\u0000b"')),
        });
        expect(response.status).toBe(400);
        expect(JSON.stringify(await response.json())).toContain('recordId');
      }
      // Queries of the same procedures, their input spoiled in the query string.
      for (const [path, headers] of [
        ['esim.forOrder', { cookie: customerCookie }],
        ['esim.forOrder', { authorization: `Bearer ${customerToken}` }],
        ['webhooks.deliveries', { cookie: customerCookie }],
        ['apiTokens.mine', { cookie: customerCookie }],
        ['backOffice.review.queue', { cookie: opsCookie }],
      ] as const) {
        for (const [kind, value] of QUERY_KINDS) {
          if (!ALWAYS_BAD.has(kind) && path !== 'esim.forOrder') continue;
          await expectRefused({ kind: `${path}: input as ${kind}`, path: `/trpc/${path}?input=${value}`, headers });
        }
      }
      expect(failures).toEqual([]);
    });

    it('refuses a malformed, unknown or misplaced Authorization header with a 401, never a 500', async () => {
      for (const [kind, authorization] of [
        ['an empty bearer', 'Bearer '],
        ['a bearer without its token', 'Bearer'],
        ['a made-up token of the right shape', `Bearer hov_pat_${'A'.repeat(43)}`],
        ['a token of another shape', 'Bearer hov_xyz_123'],
        ['a token in two parts', `Bearer ${customerToken} ${customerToken}`],
        ['a 6 KB token', `Bearer ${'x'.repeat(6000)}`],
        ['Latin-1 bytes', `Bearer hov_pat_caf\xe9${'A'.repeat(39)}`],
        ['SQL', "Bearer x' or '1'='1"],
        ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
        ['the token without its scheme', customerToken],
      ] as const) {
        for (const path of ['/trpc/apiTokens.whoami', '/trpc/orders.list?input=%7B%22json%22%3A%7B%7D%7D']) {
          await expectRefused({ kind: `${path} with ${kind}`, path, headers: { authorization } });
        }
        await expectRefused({
          kind: `a report download with ${kind}`,
          path: '/reports/revenue.csv?from=2026-03-01&to=2026-03-02',
          headers: { authorization },
        });
      }
      expect(failures).toEqual([]);
    });

    /** The public queries: those taking no input ignore well-formed JSON. */
    const queries: { path: string; noInput?: boolean }[] = [
      { path: 'catalog.list', noInput: true },
      { path: 'dataBundles.packages', noInput: true },
      { path: 'system.health', noInput: true },
      { path: 'system.support', noInput: true },
      { path: 'checkout.status' },
    ];

    it('tries every procedure a signed-out caller reaches: the lists above leave none out', async () => {
      const tried = new Set([...mutations(), ...queries].map(({ path }) => path));
      const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
      const reached: string[] = [];
      for (const [path, procedure] of Object.entries(procedures)) {
        clock.advance(60 * 60_000);
        const isQuery = procedure._def.type === 'query';
        const response = await fetch(`${base}/trpc/${path}`, {
          method: isQuery ? 'GET' : 'POST',
          headers: { origin: PORTAL, ...(isQuery ? {} : { 'content-type': 'application/json' }) },
          body: isQuery ? undefined : '{}',
        });
        await response.arrayBuffer();
        if (response.status !== 401) reached.push(path);
      }
      expect(reached.length).toBeGreaterThan(0);
      expect(reached.filter((path) => !tried.has(path))).toEqual([]);
    });

    it('refuses malformed queries of every public query, and paths and procedures that do not exist', async () => {
      for (const procedure of queries) {
        const { path } = procedure;
        for (const [kind, value] of QUERY_KINDS) {
          if (!applies(kind, procedure)) continue;
          await expectRefused({ kind: `${path}: input as ${kind}`, path: `/trpc/${path}?input=${value}` });
          await expectRefused({
            kind: `${path}: batch input as ${kind}`,
            path: `/trpc/${path}?batch=1&input=${value}`,
          });
        }
        await expectRefused({
          kind: `${path}: a POST for a query`,
          path: `/trpc/${path}`,
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      }
      for (const [kind, path] of [
        ['an unknown procedure', '/trpc/nothing.here'],
        ['a procedure name with an invalid escape', '/trpc/catalog.%E0%A4%A'],
        ['a procedure name with NUL', '/trpc/catalog.list%00'],
        [
          'a batch of 500 unknown procedures',
          `/trpc/${Array.from({ length: 500 }, (_, i) => `x.y${i}`).join(',')}?batch=1`,
        ],
      ] as const) {
        await expectRefused({ kind, path });
      }
      expect(failures).toEqual([]);
    });

    it('refuses a forged page cursor, date or filter in the back office lists with a 400, not the database’s error', async () => {
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const cursors: [string, string][] = [
        ['a cursor that is not base64 JSON', '!!!not-a-cursor'],
        ['a cursor whose time is text', forged({ at: 'yesterday', id: randomUUID() })],
        ['a cursor whose time is out of range', forged({ at: '99999-01-01 00:00:00+00', id: randomUUID() })],
        ['a cursor whose id is not an id', forged({ at: '2026-03-01 09:00:00.123+00', id: "1' or '1'='1" })],
        ['a cursor with a number id on a UUID list', forged({ at: '2026-03-01 09:00:00+00', id: 12 })],
        ['a cursor with a UUID id on a numbered list', forged({ at: '2026-03-01 09:00:00+00', id: randomUUID() })],
        ['a cursor with NUL', forged({ at: '2026-03-01 09:00:00+00\u0000', id: 1 })],
      ];
      const lists = [
        'backOffice.orders.list',
        'backOffice.fulfillment.records',
        'backOffice.fulfillment.logs',
        'backOffice.activity.list',
      ];
      for (const list of lists) {
        for (const [kind, cursor] of cursors) {
          await expectRefused({
            kind: `${list}: ${kind}`,
            path: `/trpc/${list}?input=${encodeURIComponent(JSON.stringify({ json: { cursor } }))}`,
            headers: { cookie: opsCookie },
          });
        }
      }
      await expectRefused({
        kind: 'notifications before a date that is not one',
        path: `/trpc/notifications.list?input=${encodeURIComponent(JSON.stringify({ json: { before: 'garbage' }, meta: { values: { before: ['Date'] } } }))}`,
        headers: { cookie: opsCookie },
      });
      expect(failures).toEqual([]);
    });

    it('refuses malformed webhooks, operator calls, SMS reports, report downloads and pages', async () => {
      const stripeHeaders = [
        't=abc,v1=00',
        't=99999999999999,v1=zz',
        'v1=',
        `t=${Math.floor(Date.now() / 1000) + 3600},v1=${'a'.repeat(64)}`,
        'x'.repeat(8000),
      ];
      const gatewayBodies: [string, Buffer | string][] = [
        ['not JSON', 'hello'],
        ['invalid UTF-8', bytes(0x7b, 0xff, 0x7d)],
        ['a NUL escape', '{"id":"evt_\\u0000","type":"x"}'],
        ['an empty body', ''],
        ['a JSON array', '[]'],
        ['250 KB', `{"a":"${'x'.repeat(250 * 1024)}"}`],
      ];
      for (const gateway of ['stripe', 'paypal', 'dodo', 'sandbox']) {
        for (const [kind, body] of gatewayBodies) {
          await expectRefused({ kind: `${gateway} webhook: ${kind}, unsigned`, path: `/webhooks/${gateway}`, body });
        }
      }
      for (const header of stripeHeaders) {
        await expectRefused({
          kind: `stripe webhook signed "${header.slice(0, 30)}"`,
          path: '/webhooks/stripe',
          headers: { 'stripe-signature': header },
          body: '{"id":"evt_1"}',
        });
      }
      const paypal = {
        'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': 'https://api.paypal.com/cert',
        'paypal-transmission-id': randomUUID(),
        'paypal-transmission-sig': 'c2ln',
        'paypal-transmission-time': new Date().toISOString(),
      };
      for (const [kind, headers] of [
        ['a cert URL that is not one', { ...paypal, 'paypal-cert-url': 'not a url' }],
        ['an algorithm with punctuation', { ...paypal, 'paypal-auth-algo': 'SHA256;drop' }],
        ['a forged signature', paypal],
        ['a transmission id 8 KB long', { ...paypal, 'paypal-transmission-id': 'x'.repeat(8000) }],
      ] as const) {
        await expectRefused({
          kind: `paypal webhook with ${kind}`,
          path: '/webhooks/paypal',
          headers,
          body: '{"id":"WH-1","event_type":"x"}',
        });
      }
      for (const stamp of ['abc', '-1', '99999999999999999999', '']) {
        await expectRefused({
          kind: `dodo webhook stamped "${stamp}"`,
          path: '/webhooks/dodo',
          headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': stamp, 'webhook-signature': 'v1,c2ln' },
          body: '{}',
        });
      }
      for (const path of [
        '/webhooks/nothing',
        `/webhooks/${'x'.repeat(300)}`,
        '/webhooks/%E0%A4%A',
        '/webhooks/stripe%00',
      ]) {
        await expectRefused({ kind: `webhook to ${path.slice(0, 30)}`, path, body: '{}' });
      }
      for (const [kind, body, headers] of [
        ['an unsigned SMS report', '{"id":"x"}', {}],
        ['an SMS report signed with junk', 'garbage', { 'x-arkesel-signature': 'zz' }],
        ['an SMS report that is invalid UTF-8', bytes(0xff, 0xfe), {}],
      ] as const) {
        await expectRefused({ kind, path: '/webhooks/sms/arkesel', headers, body });
      }

      // Operator calls: malformed signatures, and bodies that are malformed but correctly signed.
      const orderPath = `/provision/orders/${randomUUID()}`;
      for (const [kind, headers] of [
        ['no signature', {}],
        [
          'a timestamp that is not a number',
          { 'x-timestamp': 'abc', 'x-nonce': 'n'.repeat(16), 'x-signature': `sha256=${'0'.repeat(64)}` },
        ],
        [
          'a nonce with an escaped NUL',
          { 'x-timestamp': '1', 'x-nonce': 'n%00'.repeat(8), 'x-signature': `sha256=${'0'.repeat(64)}` },
        ],
        ['a signature that is not hex', { 'x-timestamp': '1', 'x-nonce': 'n'.repeat(16), 'x-signature': 'sha256=zz' }],
      ] as const) {
        await expectRefused({ kind: `operator call with ${kind}`, path: orderPath, headers, body: '{}' });
      }
      const signed = (path: string, body: Buffer | string, contentType = 'application/json'): Probe['headers'] => {
        const timestamp = String(Math.floor(clock.now().getTime() / 1000) + 3600);
        const nonce = randomBytes(16).toString('hex');
        return {
          'content-type': contentType,
          'x-timestamp': timestamp,
          'x-nonce': nonce,
          'x-signature': signRequest(SECRET, { method: 'POST', path, timestamp, nonce, body }),
          'idempotency-key': randomUUID(),
        };
      };
      for (const [kind, body] of [
        ['a body that is not JSON', 'nope'],
        ['a body with a NUL in approvedBy', '{"approvedBy":"a\\u0000b"}'],
        ['a body with a lone surrogate', '{"approvedBy":"\\ud800"}'],
        ['a body that is invalid UTF-8', bytes(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d)],
        ['a body that is a number', '7'],
      ] as const) {
        // The signature is checked one hour on (expectRefused moves the clock before sending).
        await expectRefused({
          kind: `a signed operator call with ${kind}`,
          path: orderPath,
          headers: signed(orderPath, body),
          body,
        });
      }
      await expectRefused({
        kind: 'an operator call for an id that is not one',
        path: '/provision/orders/not-a-uuid',
        headers: signed('/provision/orders/not-a-uuid', '{}'),
        body: '{}',
      });

      // The operator's rejection: the same refusals, and a reason the customer would read spoiled.
      const rejectPath = `${orderPath}/reject`;
      await expectRefused({ kind: 'an unsigned rejection', path: rejectPath, body: '{"reason":"No"}' });
      for (const [kind, body] of [
        ['a body that is not JSON', 'nope'],
        ['no reason', '{}'],
        ['a reason with a NUL', '{"reason":"Not here\\u0000"}'],
        ['a reason with a lone surrogate', '{"reason":"\\udc00 not here"}'],
        ['a reason with terminal escapes', '{"reason":"\\u001b[31mNot here"}'],
        [
          'a reason that is invalid UTF-8',
          bytes(0x7b, 0x22, 0x72, 0x65, 0x61, 0x73, 0x6f, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d),
        ],
        ['a reason that is an object', '{"reason":{"$ne":null}}'],
        ['a reason of 100 KB', JSON.stringify({ reason: 'x'.repeat(100_000) })],
        ['a body that is an array', '[1]'],
      ] as const) {
        await expectRefused({
          kind: `a signed rejection with ${kind}`,
          path: rejectPath,
          headers: signed(rejectPath, body),
          body,
        });
      }
      await expectRefused({
        kind: 'a rejection for an id that is not one',
        path: '/provision/orders/not-a-uuid/reject',
        headers: signed('/provision/orders/not-a-uuid/reject', '{"reason":"Not here"}'),
        body: '{"reason":"Not here"}',
      });

      // Report downloads, signed in as finance.
      for (const [kind, query] of [
        ['a NUL in a date', 'from=%00&to=2026-03-01'],
        ['a date that is not one', 'from=tomorrowish&to=2026-03-01'],
        ['an invalid escape', 'from=2026-03-01&to=2026-03-02&product=%E0%A4%A'],
        ['a time zone that does not exist', 'from=2026-03-01&to=2026-03-02&tz=Mars%2FPhobos'],
        ['a product that is not an id', 'from=2026-03-01&to=2026-03-02&product=1%27%20or%201%3D1'],
        ['an unknown filter', 'from=2026-03-01&to=2026-03-02&evil=1'],
        ['a range running backwards', 'from=2026-03-02&to=2026-03-01'],
        ['a 4 KB filter', `from=2026-03-01&to=2026-03-02&phone=${'9'.repeat(4000)}`],
      ] as const) {
        await expectRefused({
          kind: `revenue report with ${kind}`,
          path: `/reports/revenue.csv?${query}`,
          headers: { cookie: financeCookie },
        });
      }
      await expectRefused({
        kind: 'a report that does not exist',
        path: '/reports/secrets.csv?from=2026-03-01&to=2026-03-02',
        headers: { cookie: financeCookie },
      });

      // Pages and the small routes.
      for (const path of [
        '/%E0%A4%A',
        '/reset-password?token=%00',
        '/verify-email?token=%FF',
        '/healthz?x=%00',
        '/livez?%ZZ=1',
        '/openapi.json?x=%00',
        '/openapi.json?%E0%A4%A=1',
        '/openapi.json/%FF',
        '/openapi.json%00',
        '/nothing/here',
        '/..%2f..%2fetc%2fpasswd',
      ]) {
        await expectRefused({ kind: `the page ${path}`, path });
      }
      await expectRefused({
        kind: 'a POST to the OpenAPI document',
        path: '/openapi.json',
        headers: { 'content-type': 'application/json' },
        body: '{"openapi":"\\u0000"}',
      });
      expect(failures).toEqual([]);
    });

    it('refuses what an HTTP client should never send: a NUL in the request line, a header split, an overlong URL', async () => {
      const target = proxy?.url ?? stack.base;
      for (const [kind, request] of [
        ['a NUL in the path', 'GET /livez\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
        [
          'a header with a bare line feed',
          'GET /livez HTTP/1.1\r\nHost: x\r\nX-A: 1\nX-B: 2\r\nConnection: close\r\n\r\n',
        ],
        [
          'a URL of 100 KB',
          `GET /trpc/catalog.list?input=${'x'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        ],
        [
          'two Content-Lengths',
          'POST /trpc/auth.signUp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}',
        ],
      ] as const) {
        const answer = await rawRequest(target, Buffer.from(request, 'latin1'));
        // answered once the server gives up waiting for the body.
        if (answer.status !== 0 && (answer.status < 400 || answer.status > 499))
          failures.push(`${kind}: answered ${answer.status}`);
        for (const [what, pattern] of LEAKS) {
          if (pattern.test(answer.body))
            failures.push(`${kind}: the answer shows ${what}: ${answer.body.slice(0, 200)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  },
);
