import { appRouter, type Context } from '@handover/api';
import { type Clock, checkHealth } from '@handover/core';
import type { Orm } from '@handover/db';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config';

export interface ServerDeps {
  config: ServerConfig;
  orm: Orm;
  clock: Clock;
}

export async function buildServer({ config, orm, clock }: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    trustProxy: config.NODE_ENV === 'production',
    bodyLimit: 1024 * 1024,
  });

  app.get('/healthz', async (_request, reply) => {
    const report = await checkHealth(orm.em.fork(), clock);
    return reply.code(report.ok ? 200 : 503).send(report);
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: (): Context => ({ em: orm.em.fork(), clock }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error, path }, 'trpc procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<typeof appRouter>['trpcOptions'],
  });

  return app;
}
