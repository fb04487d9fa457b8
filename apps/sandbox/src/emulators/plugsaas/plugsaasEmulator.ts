import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { OrderBook } from './orderBook';

export const plugsaasEmulatorEnv = z.object({
  /**
   * The key PlugSaaS accepts in X-API-Key; Handover's server and worker send the same. Unset, a
   * random one is made: the sandbox starts, and no client gets in until it is configured.
   */
  PLUGSAAS_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(24).toString('base64url')),
});

/** A domain name, internationalised ones in their ASCII form. */
const hostname = z
  .string()
  .trim()
  .transform((value) => domainToASCII(value.replace(/\.$/, '')))
  .pipe(
    z
      .string()
      .max(253)
      .regex(
        /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
        'must be a domain name such as mybusiness.com',
      ),
  );

/** Seed 000 step 3.3: the addOrder body. */
const addOrderBody = z.object({
  domain: hostname,
  forwarding_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  names: z
    .array(z.string().trim().min(1, 'must not be empty').max(100))
    .min(1, 'needs at least one name')
    .max(3, 'takes at most three names'),
  microsoft_email: z.email('must be an email address'),
  microsoft_password: z.string().min(1, 'is required'),
});

const orderIdQuery = z.object({ orderId: z.string().min(1, 'is required') });
const deleteOrderBody = z.object({ order_id: z.string().min(1, 'is required') });

/**
 * PlugSaaS (seed 000 steps 3.3 and 3.4): POST /api/addOrder and GET /api/getNameservers, as
 * the seed shows them. POST /api/deleteOrder is Handover's assumption, so that a rollback can
 * remove an order it created. Requests carry the key in X-API-Key.
 */
export function plugsaasEmulator(options: { apiKey: string; now?: () => Date }): Emulator {
  const book = new OrderBook();
  const now = options.now ?? (() => new Date());

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers['x-api-key'] !== options.apiKey) {
      return reply.code(401).send({ error: 'unauthorized', message: 'Invalid or missing API key' });
    }
  };

  return {
    name: 'plugsaas',
    prefix: '/plugsaas',
    idempotencyHeader: 'Idempotency-Key',
    register(app: FastifyInstance) {
      app.addHook('preHandler', authorize);

      app.post('/api/addOrder', async (request, reply) => {
        const body = addOrderBody.safeParse(request.body);
        if (!body.success) return reply.code(422).send(validationError(body.error));
        const key = request.headers['idempotency-key'];
        const placed = book.place(
          {
            domain: body.data.domain,
            forwardingUrl: body.data.forwarding_url,
            names: body.data.names,
            microsoftEmail: body.data.microsoft_email,
          },
          body.data,
          typeof key === 'string' && key ? key : undefined,
          now(),
        );
        if (placed.kind === 'key_reused') {
          return reply.code(422).send({
            error: 'idempotency_key_reused',
            message: 'This Idempotency-Key was used with a different request',
          });
        }
        return { order_id: placed.orderId };
      });

      app.get('/api/getNameservers', async (request, reply) => {
        const query = orderIdQuery.safeParse(request.query);
        if (!query.success) return reply.code(422).send(validationError(query.error));
        const order = book.get(query.data.orderId);
        if (!order) return reply.code(404).send(notFound(query.data.orderId));
        return { nameservers: order.nameservers };
      });

      app.post('/api/deleteOrder', async (request, reply) => {
        const body = deleteOrderBody.safeParse(request.body);
        if (!body.success) return reply.code(422).send(validationError(body.error));
        if (!book.delete(body.data.order_id)) return reply.code(404).send(notFound(body.data.order_id));
        return { deleted: true };
      });
    },
    control(app: FastifyInstance) {
      app.get('/orders', async () => ({ orders: book.list() }));
    },
    reset() {
      book.reset();
    },
  };
}

function validationError(error: z.ZodError): { error: string; message: string } {
  const message = error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  return { error: 'validation_error', message };
}

function notFound(orderId: string): { error: string; message: string } {
  return { error: 'not_found', message: `No order "${orderId}"` };
}
