import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';

/** The table the probe writes to: made by whoever turns the probe on (`pnpm bench:webhooks`), never by migrations. */
export const DURABLE_PROBE_TABLE = 'durable_probe_writes';

const body = z.object({ id: z.uuid() }).passthrough();

/**
 * `POST /durable-probe` (on only with `DURABLE_PROBE=1`): commits the request's JSON body as one
 * row, on the server's own pool, and answers 204. It is the least a route that must not lose what
 * it was sent can do, so `pnpm bench:webhooks` sets the signed webhook route beside it.
 */
export function durableProbeRoutes(em: EntityManager): FastifyPluginAsync {
  return async (app) => {
    app.post('/durable-probe', async (request, reply) => {
      const parsed = body.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'a JSON object with a uuid `id` is required' });
      await em
        .getConnection()
        .execute(`insert into ${DURABLE_PROBE_TABLE} (id, body) values (?, ?)`, [
          parsed.data.id,
          JSON.stringify(parsed.data),
        ]);
      return reply.code(204).send();
    });
  };
}
