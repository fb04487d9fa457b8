import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { appRouter, type Context } from '@handover/api';
import { installHumanErrorMessages } from '@handover/contracts';
import {
  type BillingSystem,
  BillingView,
  type BundleResellerAccount,
  type Clock,
  CORRELATION_HEADER,
  checkHealth,
  correlationIdFrom,
  correlationLogFields,
  type DriverRegistry,
  type FileStorage,
  type Metrics,
  metricsAuthorized,
  type OperatorSystem,
  type PaymentGateways,
  type PaymentLogger,
  PersonalizedCatalogView,
  passwordHashing,
  RateLimitedError,
  RateLimiter,
  redact,
  redactCredentialsInText,
  redactRequestUrl,
  SecretBox,
  WebhookTargetGuard,
  withCorrelation,
} from '@handover/core';
import { isConnectionError, type Orm } from '@handover/db';
import type { SmsSender } from '@handover/integrations';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { type DestinationStream, stdSerializers } from 'pino';
import type { ServerConfig } from './config';
import { readBearerToken } from './http/bearerToken';
import { durableProbeRoutes } from './http/durableProbe';
import { DATABASE_RETRY_AFTER_SECONDS, errorBody, registerErrorHandling } from './http/errors';
import { csrfGuard, registerHardening } from './http/hardening';
import { checkJsonBodies, registerInputGuards } from './http/inputs';
import { readSessionToken, sessionCookie } from './http/sessionCookie';
import { invoiceRoutes } from './invoices/invoiceRoutes';
import { downloadRoutes } from './marketplace/downloadRoutes';
import { licenseRoutes } from './marketplace/licenseRoutes';
import { openApiDocument } from './openapi/document';
import { provisionRoutes } from './operatorApi/provisionRoutes';
import { signedOperatorRoutes } from './operatorApi/signedRoutes';
import { webhookRoutes } from './payments/webhookRoutes';
import { listExportRoutes } from './reports/listExportRoutes';
import { reportRoutes } from './reports/reportRoutes';
import { smsReportRoutes } from './sms/smsReportRoutes';

export interface ServerDeps {
  config: ServerConfig;
  orm: Orm;
  clock: Clock;
  /** The fulfillment drivers (the worker's list): products, order forms and records are checked by them. */
  registry: DriverRegistry;
  /** The payment gateways with credentials here (createPaymentGateways); webhooks of others get 404. */
  gateways?: PaymentGateways;
  /** Built SPAs to serve; none in tests that do not need them. */
  spas?: SpaBuild[];
  /** The SMS provider whose delivery callbacks this server takes (seed 002); none: they get 503. */
  sms?: SmsSender | null;
  /** The data-bundle resellers' accounts, for the back office's float (seed 002 phase 6). */
  bundleResellers?: readonly BundleResellerAccount[];
  /** Where products' downloadable files are kept (seed 003); none: downloads answer 503. */
  downloadStorage?: FileStorage | null;
  /** Seed 004: the billing system (WHMCS) behind the payment-method gate and the portal's invoices. */
  billing?: BillingSystem | null;
  /** Seed 004: the operator system, whose account eligibility narrows the portal's catalog. */
  operatorSystem?: OperatorSystem | null;
  /** This process's metrics: HTTP latency by route and webhooks by outcome are fed here. */
  metrics?: Metrics;
  /** Where log lines go (standard output when not given); tests read them. */
  logStream?: DestinationStream;
}

export async function buildServer({
  config,
  orm,
  clock,
  registry,
  gateways = {},
  spas = [],
  sms = null,
  bundleResellers = [],
  downloadStorage = null,
  billing = null,
  operatorSystem = null,
  metrics,
  logStream,
}: ServerDeps): Promise<FastifyInstance> {
  installHumanErrorMessages();
  passwordHashing.configure({ concurrency: config.PASSWORD_HASH_CONCURRENCY, maxWaiting: 200 });
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      ...(logStream ? { stream: logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // Every line logged while a request is handled names its correlation id.
      mixin: correlationLogFields,
      // Every logged object passes through the one redaction helper the API-response viewer uses.
      formatters: { log: (object) => redact(object) },
      // A link's token (reset, verification, download, SSO) never reaches a log line with its URL,
      // and an API token never with an error's message or stack.
      serializers: {
        req: (request: FastifyRequest) => requestForLog(request),
        err: (error: Error) => errorForLog(error),
      },
      // Nor with a message: `Authorization: Bearer` is redacted wherever a line quotes it.
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactCredentialsInText(arg) : arg)) as typeof args,
          );
        },
      },
    },
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    // A request's id is its correlation id: the caller's (or a proxy's) when it sends one.
    genReqId: (request) => correlationIdFrom(request.headers[CORRELATION_HEADER]),
    // Forwarded headers are believed only from the proxies named in TRUSTED_PROXIES (none by default).
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false,
    bodyLimit: 1024 * 1024,
    // A batched tRPC call names every procedure in one path parameter (`a.b,c.d,...`): the
    // router's default of 100 characters refused a page's refresh of six queries with a 414.
    routerOptions: { maxParamLength: 5000 },
  });
  const secrets = new SecretBox(config.HANDOVER_ENCRYPTION_KEYS);
  const paymentLogger: PaymentLogger = app.log.child({ component: 'payments' });
  const tokenRateLimiter = new RateLimiter({
    perMinute: config.API_TOKEN_RATE_PER_MINUTE,
    burst: config.API_TOKEN_BURST,
  });
  const webhookGuard = new WebhookTargetGuard({ allowedNetworks: config.WEBHOOK_ALLOWED_PRIVATE_NETWORKS });

  // Every HTTP route, as registered: the OpenAPI test holds the document against it.
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.decorate('routeTable', routeTable);
  const billingView = billing ? new BillingView(billing) : null;
  const catalogView = operatorSystem ? new PersonalizedCatalogView(operatorSystem) : null;

  // The correlation id is current for the whole request (jobs added carry it) and answered back.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    withCorrelation(request.id, done);
  });
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  registerErrorHandling(app);
  registerInputGuards(app);
  if (!config.logRequests) logFailedRequests(app);
  await registerHardening(app, config);
  await app.register(fastifyCookie);

  // Liveness: the process answers, with no database call (health below says whether it can work).
  app.get('/livez', async () => ({ ok: true }));

  if (config.DURABLE_PROBE) await app.register(durableProbeRoutes(orm.em));

  const openApi = openApiDocument({ publicUrl: config.publicUrl });
  app.get('/openapi.json', async (_request, reply) => reply.header('cache-control', 'no-cache').send(openApi));

  app.get('/healthz', async (_request, reply) => {
    const report = await checkHealth(orm.em.fork(), clock);
    return reply.code(report.ok ? 200 : 503).send(report);
  });

  // On the public port only behind a token; METRICS_PORT serves it on a listener of its own.
  if (metrics && config.METRICS_TOKEN) {
    app.get('/metrics', async (request, reply) => {
      if (!metricsAuthorized(request.headers.authorization, config.METRICS_TOKEN)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }

  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.bodyLimit = TRPC_BODY_LIMIT;
    });
    scope.addHook('onRequest', csrfGuard(config.allowedOrigins));
    checkJsonBodies(scope, TRPC_BODY_LIMIT);
    await scope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext: ({ req, res }): Context => ({
          requestId: String(req.id),
          em: orm.em.fork(),
          clock,
          registry,
          accounts: config.accounts,
          secrets,
          sessionToken: readSessionToken(req, config.secureCookies),
          sessionCookie: sessionCookie(res, config.secureCookies),
          bearerToken: readBearerToken(req),
          tokenRateLimiter,
          // The request's log line says who called, and through which token.
          logCaller: (caller) => (req.log as PinoLogger).setBindings?.(caller),
          webhookGuard,
          callerCache: {},
          origin: { ip: req.ip, userAgent: req.headers['user-agent'] ?? null },
          gateways,
          checkout: config.checkout,
          paymentLogger,
          businessTimeZone: config.BUSINESS_TIME_ZONE,
          bundleResellers,
          downloadLinks: config.downloadLinks,
          billing,
          billingView,
          catalogView,
        }),
        // A call refused for coming too often, or meeting the database away, says when to come back.
        responseMeta: ({ errors }) => {
          const limited = errors.map((error) => error.cause).find((cause) => cause instanceof RateLimitedError);
          if (limited)
            return { headers: { 'retry-after': String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000))) } };
          return errors.some((error) => isConnectionError(error.cause))
            ? { headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } }
            : {};
        },
        onError: ({ error, path, req }) => {
          if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error, path }, 'trpc procedure failed');
          else req.log.info({ code: error.code, path, reason: error.message }, 'trpc call refused');
        },
      } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
    });
  });

  await app.register(
    webhookRoutes(
      { em: orm.em, gateways, registry, clock, logger: paymentLogger, portalUrl: config.portalUrl },
      metrics,
    ),
    { prefix: '/webhooks' },
  );

  await app.register(smsReportRoutes({ em: orm.em, sms }), { prefix: '/webhooks/sms' });

  await app.register(licenseRoutes({ em: orm.em, clock }), { prefix: '/licenses' });
  await app.register(downloadRoutes({ em: orm.em, clock, links: config.downloadLinks, storage: downloadStorage }), {
    prefix: '/downloads',
  });

  await app.register(
    signedOperatorRoutes(
      { orm, clock, secrets: config.PROVISION_API_SECRETS ?? [], allowedIps: config.PROVISION_ALLOWED_IPS },
      provisionRoutes(orm, { gateways, registry, clock, logger: paymentLogger, portalUrl: config.portalUrl }),
    ),
    { prefix: '/provision' },
  );

  await app.register(
    reportRoutes({
      orm,
      clock,
      secureCookies: config.secureCookies,
      sessionTtlMs: config.accounts.sessionTtlMs,
      businessTimeZone: config.BUSINESS_TIME_ZONE,
      tokenRateLimiter,
    }),
    { prefix: '/reports' },
  );

  await app.register(
    listExportRoutes({
      orm,
      clock,
      secureCookies: config.secureCookies,
      sessionTtlMs: config.accounts.sessionTtlMs,
      tokenRateLimiter,
    }),
    { prefix: '/exports' },
  );

  await app.register(
    invoiceRoutes({
      orm,
      clock,
      secureCookies: config.secureCookies,
      sessionTtlMs: config.accounts.sessionTtlMs,
      seller: { name: 'Handover', supportEmail: config.accounts.supportEmail },
    }),
    { prefix: '/invoices' },
  );

  await serveSpas(app, spas);
  return app;
}

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its method (HEAD and OPTIONS included). */
    routeTable: readonly RouteEntry[];
  }
}

/** Fastify's request logger is a pino child, which can take more bindings; its type does not say so. */
type PinoLogger = { setBindings?: (bindings: Record<string, unknown>) => void };

/** An error as its log lines show it: pino's form, with any bearer or API token in its texts redacted. */
function errorForLog(error: Error) {
  const serialized = stdSerializers.err(error);
  // pino's error object has a prototype of its own: a plain copy, so that every text is walked.
  return {
    ...redact({ ...serialized } as Record<string, unknown>),
    type: serialized.type,
    message: redactCredentialsInText(serialized.message),
    stack: redactCredentialsInText(serialized.stack),
  };
}

/** A request as its log lines show it: the URL without the credentials links carry. */
function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactRequestUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

/** Forms and lists are small; a larger body is refused before it is read. */
const TRPC_BODY_LIMIT = 256 * 1024;

export interface SpaBuild {
  /** URL prefix, ending in `/`. */
  prefix: string;
  /** Absolute path of the Vite build (its index.html). */
  dir: string;
}

/** The built portal and back office, when they have been built: assets as files, every other path gets index.html. */
async function serveSpas(app: FastifyInstance, spas: SpaBuild[]): Promise<void> {
  const built = spas.filter((spa) => existsSync(join(spa.dir, 'index.html')));
  for (const [i, spa] of built.entries()) {
    await app.register(fastifyStatic, {
      root: spa.dir,
      prefix: spa.prefix,
      decorateReply: i === 0,
      wildcard: false,
      index: ['index.html'],
    });
  }
  // Longest prefix first, so /admin/... is not answered by the portal.
  const byPrefix = [...built].sort((a, b) => b.prefix.length - a.prefix.length);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const spa = request.method === 'GET' && !isApiPath(path) ? byPrefix.find((s) => path.startsWith(s.prefix)) : null;
    if (!spa) return reply.code(404).send(errorBody(request, 'not_found', 'There is nothing at this address.'));
    return reply.type('text/html').sendFile('index.html', spa.dir);
  });
}

function isApiPath(path: string): boolean {
  return [
    '/trpc',
    '/webhooks',
    '/provision',
    '/reports',
    '/exports',
    '/invoices',
    '/downloads',
    '/licenses',
    '/healthz',
    '/livez',
    '/metrics',
    '/openapi.json',
  ].some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** Where the SPAs' builds land in this repository. */
export const defaultSpaBuilds: SpaBuild[] = [
  { prefix: '/admin/', dir: fileURLToPath(new URL('../../admin/dist', import.meta.url)) },
  { prefix: '/', dir: fileURLToPath(new URL('../../portal/dist', import.meta.url)) },
];

/**
 * Without request logs (development: the portal's order page polls every few seconds), a request
 * that fails still gets one line. A 401 is a signed-out visitor, not a failure.
 */
function logFailedRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 400 || reply.statusCode === 401) return;
    const line = `${request.method} ${request.url.split('?')[0]} answered ${reply.statusCode} (${Math.round(reply.elapsedTime)} ms)`;
    if (reply.statusCode >= 500) request.log.error(line);
    else request.log.warn(line);
  });
}
