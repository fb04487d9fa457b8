import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { z } from 'zod';
import { CallRecorder } from './calls';
import type { Emulator } from './emulator';
import { decideFault, type FaultSpec, faultSpecSchema } from './faults';
import type { Mailbox } from './mail/mailbox';
import { registerMailRoutes } from './mail/mailRoutes';

export interface SandboxOptions {
  emulators: Emulator[];
  publicUrl: string;
  /** Where payment emulators send webhooks; the control API can change it. */
  webhookBaseUrl?: string;
  faults?: Record<string, FaultSpec>;
  /** How long a "timeout" fault holds a request before dropping the connection. */
  hangMs?: number;
  random?: () => number;
  logger?: FastifyServerOptions['logger'];
  /** What the SMTP emulator received; shown at /mail and under /_control/mail. */
  mailbox?: Mailbox;
}

/** The sandbox process: every emulator under its prefix, plus the control API under /_control. */
export async function createSandbox(options: SandboxOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  const calls = new CallRecorder();
  const faults = new Map<string, FaultSpec>(Object.entries(options.faults ?? {}));
  const random = options.random ?? Math.random;
  const hangMs = options.hangMs ?? 120_000;
  const names = new Set(options.emulators.map((e) => e.name));
  let webhookBaseUrl = options.webhookBaseUrl;
  const context = { publicUrl: options.publicUrl, webhookBaseUrl: () => webhookBaseUrl };
  // Every control route, as registered, for the index at GET /_control.
  const controlRoutes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/_control')) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') controlRoutes.push({ method, url: route.url });
  });

  for (const emulator of options.emulators) {
    await app.register(
      async (scope) => {
        // Requests carried out whose answer is then dropped (a `lostAnswerRate` fault).
        const losing = new WeakSet<object>();
        scope.addHook('onSend', async (request, _reply, payload) => {
          if (losing.has(request)) request.raw.socket.destroy();
          return payload;
        });
        scope.addHook('onRequest', async (request, reply) => {
          const header = emulator.idempotencyHeader?.toLowerCase();
          const key = header ? request.headers[header] : undefined;
          const route = request.routeOptions.url ?? request.url.split('?')[0];
          calls.record(emulator.name, `${request.method} ${route}`, typeof key === 'string' ? key : undefined);

          const spec = faults.get(emulator.name);
          const decision = decideFault(spec, request.url, random);
          if (decision.kind !== 'pass' && spec?.remaining !== undefined) {
            if (spec.remaining <= 1) faults.delete(emulator.name);
            else faults.set(emulator.name, { ...spec, remaining: spec.remaining - 1 });
          }
          if (decision.kind === 'timeout') {
            calls.recordFault(emulator.name);
            await new Promise((resolve) => setTimeout(resolve, hangMs).unref());
            request.raw.socket.destroy();
            return reply.hijack();
          }
          if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
          if (decision.kind === 'lost_answer') {
            calls.recordFault(emulator.name);
            losing.add(request);
          }
          if (decision.kind === 'error') {
            calls.recordFault(emulator.name);
            if (decision.retryAfterSeconds !== undefined)
              reply.header('retry-after', String(decision.retryAfterSeconds));
            return reply
              .code(decision.statusCode)
              .send({ error: 'injected_fault', message: `Sandbox fault: ${decision.statusCode}` });
          }
        });
        await emulator.register(scope, context);
      },
      { prefix: emulator.prefix },
    );
  }

  for (const emulator of options.emulators) {
    if (emulator.control)
      await app.register(async (scope) => emulator.control?.(scope), { prefix: `/_control/${emulator.name}` });
  }

  const emulatorParam = z.object({ emulator: z.string().refine((name) => names.has(name), 'unknown emulator') });

  app.get('/_control', async () => ({
    emulators: [...names],
    routes: [...controlRoutes]
      .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
      .map((route) => `${route.method} ${route.url}`),
    faults: {
      how: 'PUT /_control/faults/<emulator> with a JSON body; DELETE it to stop',
      fields: {
        latencyMs: 'added before every answer',
        errorRate: 'share of requests (0..1) answered with statusCode (default 503)',
        retryAfterSeconds: 'sent as Retry-After with 429 and 503 answers',
        timeoutRate: 'share of requests (0..1) never answered',
        lostAnswerRate: 'share of requests (0..1) carried out, whose answer is then dropped',
        pathIncludes: 'only requests whose path contains this text (or any of a list of texts)',
        remaining: 'only the next N matching requests',
      },
    },
  }));
  app.get('/_control/healthz', async () => ({ ok: true, emulators: [...names] }));
  app.get('/_control/calls', async (request) => {
    const { emulator } = z.object({ emulator: z.string().optional() }).parse(request.query);
    return calls.snapshot(emulator);
  });
  app.get('/_control/faults', async () => Object.fromEntries(faults));
  app.put('/_control/faults/:emulator', async (request, reply) => {
    const params = emulatorParam.safeParse(request.params);
    const body = faultSpecSchema.safeParse(request.body ?? {});
    if (!params.success) return reply.code(404).send({ error: z.prettifyError(params.error) });
    if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
    faults.set(params.data.emulator, body.data);
    return { emulator: params.data.emulator, fault: body.data };
  });
  app.delete('/_control/faults/:emulator', async (request, reply) => {
    const params = emulatorParam.safeParse(request.params);
    if (!params.success) return reply.code(404).send({ error: z.prettifyError(params.error) });
    faults.delete(params.data.emulator);
    return reply.code(204).send();
  });
  app.get('/_control/webhooks', async () => ({ baseUrl: webhookBaseUrl ?? null }));
  app.put('/_control/webhooks', async (request, reply) => {
    const body = z.object({ baseUrl: z.url().nullable() }).safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
    webhookBaseUrl = body.data.baseUrl ?? undefined;
    return { baseUrl: webhookBaseUrl ?? null };
  });
  if (options.mailbox) registerMailRoutes(app, options.mailbox);
  app.post('/_control/reset', async (_request, reply) => {
    calls.reset();
    faults.clear();
    options.mailbox?.clear();
    for (const emulator of options.emulators) emulator.reset?.();
    return reply.code(204).send();
  });

  return app;
}
