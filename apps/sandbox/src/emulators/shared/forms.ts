import type { FastifyInstance } from 'fastify';
import qs from 'qs';

/**
 * Parses `application/x-www-form-urlencoded` bodies with bracketed keys
 * (`line_items[0][price_data][currency]=usd`), as Stripe's API and the hosted pages' forms send them.
 * Registered per emulator, so it applies to that emulator's routes only.
 */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, qs.parse(body as string, { depth: 10, arrayLimit: 100, parameterLimit: 2000 }));
  });
}
