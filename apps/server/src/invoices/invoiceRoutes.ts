import { type Clock, getCustomerOrder, NotFoundError, resolveSession } from '@handover/core';
import type { Orm } from '@handover/db';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { readSessionToken } from '../http/sessionCookie';
import { type InvoiceSeller, renderInvoicePdf } from './invoicePdf';

export interface InvoiceRouteDeps {
  orm: Orm;
  clock: Clock;
  secureCookies: boolean;
  sessionTtlMs: number;
  seller: InvoiceSeller;
}

const fileSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{4,40}\.pdf$/, 'ask for <order code>.pdf')
  .transform((file) => file.slice(0, -'.pdf'.length).toUpperCase());

/** The path of an invoice, for the OpenAPI document. */
export const invoiceParams = z.object({ file: z.string().regex(/^[A-Za-z0-9-]{4,40}\.pdf$/) });

/**
 * `GET /invoices/<order code>.pdf`: the signed-in customer's invoice for one of their orders.
 * Another customer's order is answered as a missing one, so codes cannot be probed.
 */
export function invoiceRoutes(deps: InvoiceRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { file: string } }>('/:file', async (request, reply) => {
      const token = readSessionToken(request, deps.secureCookies);
      const em = deps.orm.em.fork();
      const session = token ? await resolveSession(em, token, deps.sessionTtlMs, deps.clock) : null;
      if (!session)
        return reply.code(401).send({ error: 'unauthorized', message: 'Sign in to download your invoice.' });
      const file = fileSchema.safeParse(request.params.file);
      if (!file.success) return reply.code(400).send({ error: 'bad_request', message: 'Ask for <order code>.pdf.' });
      try {
        const order = await getCustomerOrder(em, session.user.id, { orderCode: file.data });
        if (order.isTest) return reply.code(404).send({ error: 'not_found', message: 'A test order has no invoice.' });
        const pdf = await renderInvoicePdf(order, session.user.email, deps.seller);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="invoice-${order.orderCode}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(pdf));
      } catch (error) {
        if (error instanceof NotFoundError) return reply.code(404).send({ error: 'not_found', message: error.message });
        throw error;
      }
    });
  };
}
