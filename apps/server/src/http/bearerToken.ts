import type { FastifyRequest } from 'fastify';

/** The API token in `Authorization: Bearer <token>`, when the request carries one (not yet checked). */
export function readBearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}
