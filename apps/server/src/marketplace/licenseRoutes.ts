import {
  activateLicense,
  type Clock,
  ConflictError,
  checkLicenseActivation,
  deactivateLicense,
  LicenseRefusedError,
  NotFoundError,
  readPublicKey,
} from '@handover/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, z } from 'zod';

/** Licence calls are a key and a machine id: small. */
const BODY_LIMIT = 16 * 1024;

export interface LicenseRoutesDeps {
  em: EntityManager;
  clock: Clock;
}

export const publicKeyQuery = z.object({ key_id: z.string().min(1).max(120) });

/** What the activation calls answer: the activation and the licence (fields as docs/saas-providers.md lists them). */
export const licenseAnswer = z.object({}).loose();

/** The public key a licence key was signed with. */
export const publicKeyAnswer = z.object({
  key_id: z.string(),
  algorithm: z.literal('Ed25519'),
  public_key: z.string(),
});

/**
 * Seed 003's activation API, which the vendor's software calls (docs/marketplace-products.md):
 * `POST /licenses/activate`, `/deactivate` and `/check` with the licence key and the machine's
 * id, answering the activation and the licence, or `{error, message}` with a stable code
 * (`activation_limit_reached` 409, `license_revoked` 403, ...); and `GET
 * /licenses/public-key?key_id=` for the public key a key was signed with.
 */
export function licenseRoutes(deps: LicenseRoutesDeps) {
  return async (scope: FastifyInstance) => {
    const handle =
      (act: (em: EntityManager, body: unknown, request: FastifyRequest) => Promise<unknown>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          return await act(deps.em.fork(), request.body ?? {}, request);
        } catch (error) {
          if (error instanceof LicenseRefusedError) {
            return reply.code(error.status).send({ error: error.code, message: error.message });
          }
          if (error instanceof ZodError) {
            const message = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
            return reply.code(400).send({ error: 'invalid_request', message });
          }
          throw error;
        }
      };
    const at = (request: FastifyRequest) => ({ now: deps.clock.now(), ip: request.ip });

    scope.post(
      '/activate',
      { bodyLimit: BODY_LIMIT },
      handle((em, body, request) => activateLicense(em, body as never, at(request))),
    );
    scope.post(
      '/deactivate',
      { bodyLimit: BODY_LIMIT },
      handle((em, body, request) => deactivateLicense(em, body as never, at(request))),
    );
    scope.post(
      '/check',
      { bodyLimit: BODY_LIMIT },
      handle((em, body, request) => checkLicenseActivation(em, body as never, at(request))),
    );
    scope.get('/public-key', async (request, reply) => {
      const query = publicKeyQuery.safeParse(request.query);
      if (!query.success) return reply.code(400).send({ error: 'invalid_request', message: 'key_id is required' });
      try {
        const publicKey = await readPublicKey(deps.em.fork(), query.data.key_id);
        return { key_id: query.data.key_id, algorithm: 'Ed25519', public_key: publicKey };
      } catch (error) {
        if (error instanceof NotFoundError || error instanceof ConflictError) {
          return reply.code(404).send({ error: 'key_not_found', message: `No signing key "${query.data.key_id}"` });
        }
        throw error;
      }
    });
  };
}
