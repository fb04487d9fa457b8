import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { BUNDLE_PRICES_PESEWAS, cedis, localGhanaNumber, phoneNumberProblem } from './bundles';
import {
  type Delivery,
  DeliveryBook,
  deliverySettingsSchema,
  type FailureKind,
  failureRuleSchema,
} from './deliveryBook';

export const atIshareEmulatorEnv = z.object({
  /**
   * The key the reseller accepts in X-API-Key; Handover's worker sends the same. Unset, a random
   * one is made: the sandbox starts, and no client gets in until it is configured.
   */
  AT_ISHARE_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(24).toString('base64url')),
  /** The reseller float (GHS) the sandbox starts with and returns to on reset. */
  AT_ISHARE_INITIAL_BALANCE: z.coerce.number().min(0, 'must not be negative').default(1_000),
});

export interface AtIshareEmulatorOptions {
  apiKey: string;
  /** GHS. */
  initialBalance?: number;
  /** The longest a `timeout` or `lost_answer` request is held before its connection is dropped. */
  hangMs?: number;
  now?: () => Date;
}

/** Seed 002 phase 2: `FulfillmentRequest { phoneNumber, sizeGb, orderId }`. */
const deliveryBody = z.object({
  phoneNumber: z.string().trim().min(1, 'is required'),
  sizeGb: z.number({ error: 'must be a number of gigabytes' }),
  orderId: z.string().trim().min(1, 'is required').max(100),
});

type ErrorCode =
  | 'UNAUTHORIZED'
  | 'VALIDATION_ERROR'
  | 'INVALID_PHONE'
  | 'INVALID_SIZE'
  | 'INSUFFICIENT_BALANCE'
  | 'DUPLICATE_ORDER'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'NOT_FOUND'
  | 'SERVICE_UNAVAILABLE';

/**
 * An AT-iShare data-bundle reseller. No reseller publishes an AT-iShare API, so this one follows
 * seed 002 phase 2 to the letter: `fulfillOrder({ phoneNumber, sizeGb, orderId })` answers
 * `{ success, reference, message, errorCode }`, `verifyFulfillment(reference)` reads a delivery
 * back, and the errors are the seed's list (invalid phone, unavailable, insufficient balance,
 * invalid size, duplicate order). Around it, the shape Ghana's bundle resellers share: an
 * X-API-Key header, `GET balance` for the float in cedis, JSON errors with an upper-case code.
 * An Idempotency-Key makes a retried delivery return the first one (the seed's "duplicate
 * order prevention"), never a second bundle.
 */
export function atIshareEmulator(options: AtIshareEmulatorOptions): Emulator {
  const book = new DeliveryBook(Math.round((options.initialBalance ?? 1_000) * 100));
  const now = options.now ?? (() => new Date());
  const hangMs = options.hangMs ?? 120_000;

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers['x-api-key'] !== options.apiKey) {
      return refuse(reply, 401, 'UNAUTHORIZED', 'Invalid or missing API key');
    }
  };

  return {
    name: 'at-ishare',
    prefix: '/at-ishare',
    idempotencyHeader: 'Idempotency-Key',
    register(app: FastifyInstance) {
      app.addHook('preHandler', authorize);

      app.get('/api/v1/balance', async () => ({
        success: true,
        balance: cedis(book.balancePesewas),
        currency: 'GHS',
      }));

      app.post('/api/v1/orders', async (request, reply) => {
        const body = deliveryBody.safeParse(request.body);
        if (!body.success) return refuse(reply, 400, 'VALIDATION_ERROR', describe(body.error));
        const { phoneNumber, sizeGb, orderId } = body.data;
        const local = localGhanaNumber(phoneNumber);

        const failure = book.takeFailure(local ?? phoneNumber, sizeGb);
        if (failure === 'timeout') return hang(request, reply, hangMs);
        const price = BUNDLE_PRICES_PESEWAS.get(sizeGb);
        if (failure && failure !== 'lost_answer') return injected(reply, failure, book.balancePesewas, price ?? 0);

        const phoneProblem = phoneNumberProblem(phoneNumber);
        if (phoneProblem || !local) return refuse(reply, 400, 'INVALID_PHONE', `Invalid phone number: ${phoneProblem}`);
        if (price === undefined) {
          const sizes = [...BUNDLE_PRICES_PESEWAS.keys()].join(', ');
          return refuse(reply, 400, 'INVALID_SIZE', `Invalid package size: ${sizeGb}GB (available: ${sizes} GB)`);
        }

        const key = request.headers['idempotency-key'];
        const placed = book.place(
          { phoneNumber: local, sizeGb, orderId },
          price,
          typeof key === 'string' && key ? key : undefined,
          now(),
        );
        switch (placed.kind) {
          case 'key_reused':
            return refuse(
              reply,
              422,
              'IDEMPOTENCY_KEY_REUSED',
              'This Idempotency-Key was used with a different request',
            );
          case 'duplicate_order':
            return reply.code(409).send({
              success: false,
              errorCode: 'DUPLICATE_ORDER',
              message: `Order ${orderId} was already fulfilled as ${placed.reference}`,
              reference: placed.reference,
            });
          case 'insufficient_balance':
            return insufficientBalance(reply, placed.balancePesewas, placed.pricePesewas);
        }
        if (failure === 'lost_answer') return hang(request, reply, hangMs);
        if (placed.kind === 'replayed') reply.header('idempotent-replayed', 'true');
        return {
          success: true,
          ...deliveryView(placed.delivery),
          message:
            placed.delivery.status === 'delivered' ? 'Data bundle delivered' : 'Data bundle delivery in progress',
          balance: cedis(book.balancePesewas),
        };
      });

      // The merchant's side of "duplicate order prevention": what the reseller holds for one of
      // its order ids, newest first, without placing anything. A caller whose answer was lost
      // asks here rather than posting again.
      app.get('/api/v1/orders', async (request, reply) => {
        const query = z
          .object({ orderId: z.string().trim().min(1, 'is required').max(100) })
          .safeParse(request.query ?? {});
        if (!query.success) return refuse(reply, 400, 'VALIDATION_ERROR', describe(query.error));
        const found = book.forOrder(query.data.orderId).map((delivery) => book.verify(delivery.reference, now()));
        return { success: true, orders: found.flatMap((delivery) => (delivery ? [deliveryView(delivery)] : [])) };
      });

      app.get('/api/v1/orders/:reference', async (request, reply) => {
        const { reference } = request.params as { reference: string };
        const delivery = book.verify(reference, now());
        if (!delivery) return refuse(reply, 404, 'NOT_FOUND', `No delivery with reference ${reference}`);
        return { success: true, ...deliveryView(delivery) };
      });
    },

    control(app: FastifyInstance) {
      app.get('/deliveries', async () => ({ deliveries: book.list() }));
      app.post('/deliveries/:reference/deliver', async (request, reply) => {
        const delivery = book.deliver((request.params as { reference: string }).reference, now());
        return delivery ? { delivery } : reply.code(404).send({ error: 'unknown delivery' });
      });
      app.post('/deliveries/:reference/fail', async (request, reply) => {
        const body = z.object({ reason: z.string().min(1).default('Delivery failed') }).safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const delivery = book.fail((request.params as { reference: string }).reference, body.data.reason);
        return delivery ? { delivery } : reply.code(404).send({ error: 'unknown delivery' });
      });

      app.get('/balance', async () => ({ balance: cedis(book.balancePesewas), currency: 'GHS' }));
      app.put('/balance', async (request, reply) => {
        const body = z
          .object({ balance: z.number().min(0) })
          .strict()
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        book.setBalance(Math.round(body.data.balance * 100));
        return { balance: cedis(book.balancePesewas), currency: 'GHS' };
      });

      app.get('/settings', async () => ({ settings: book.getSettings() }));
      app.put('/settings', async (request, reply) => {
        const body = deliverySettingsSchema.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        return { settings: book.updateSettings(body.data) };
      });

      app.get('/failures', async () => ({ failures: book.failures() }));
      app.post('/failures', async (request, reply) => {
        const body = failureRuleSchema.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const phoneNumber = body.data.phoneNumber;
        book.addFailure({
          ...body.data,
          ...(phoneNumber ? { phoneNumber: localGhanaNumber(phoneNumber) ?? phoneNumber } : {}),
        });
        return { failures: book.failures() };
      });
      app.delete('/failures', async (_request, reply) => {
        book.clearFailures();
        return reply.code(204).send();
      });
    },

    reset() {
      book.reset();
    },
  };
}

/** A delivery as the API shows it (seed 002: `reference`, and the status verify reads). */
function deliveryView(delivery: Delivery) {
  return {
    reference: delivery.reference,
    orderId: delivery.orderId,
    phoneNumber: delivery.phoneNumber,
    sizeGb: delivery.sizeGb,
    status: delivery.status,
    amount: cedis(delivery.pricePesewas),
    deliveredAt: delivery.deliveredAt,
    failureReason: delivery.failureReason,
  };
}

function refuse(reply: FastifyReply, status: number, errorCode: ErrorCode, message: string) {
  return reply.code(status).send({ success: false, errorCode, message });
}

function insufficientBalance(reply: FastifyReply, balancePesewas: number, pricePesewas: number) {
  return reply.code(402).send({
    success: false,
    errorCode: 'INSUFFICIENT_BALANCE',
    message: `Insufficient wallet balance: GHS ${(balancePesewas / 100).toFixed(2)} available, GHS ${(
      pricePesewas / 100
    ).toFixed(2)} needed`,
    balance: cedis(balancePesewas),
    required: cedis(pricePesewas),
  });
}

/** The answer a failure rule asks for, as the reseller gives that error. */
function injected(
  reply: FastifyReply,
  failure: Exclude<FailureKind, 'timeout' | 'lost_answer'>,
  balancePesewas: number,
  pricePesewas: number,
) {
  switch (failure) {
    case 'invalid_phone':
      return refuse(reply, 400, 'INVALID_PHONE', 'Invalid phone number: the network refused this number');
    case 'invalid_size':
      return refuse(reply, 400, 'INVALID_SIZE', 'Invalid package size: not available for this number');
    case 'insufficient_balance':
      return insufficientBalance(reply, Math.max(0, Math.min(balancePesewas, pricePesewas - 1)), pricePesewas);
    case 'unavailable':
      reply.header('retry-after', '30');
      return refuse(reply, 503, 'SERVICE_UNAVAILABLE', 'AT-iShare service is temporarily unavailable, try again later');
  }
}

/** Holds the request without an answer until the caller gives up (or `maxMs`), then drops the connection. */
async function hang(request: FastifyRequest, reply: FastifyReply, maxMs: number) {
  const socket = request.raw.socket;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  socket.destroy();
  return reply.hijack();
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}
