import type { SessionCookie } from '@handover/api';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The session cookie: httpOnly, SameSite=Lax, and Secure outside development and tests. When
 * Secure, the `__Host-` prefix makes browsers refuse it from any other host or path.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-handover_session' : 'handover_session';
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token the request carries, when it looks like one of ours. */
export function readSessionToken(request: FastifyRequest, secure: boolean): string | null {
  const value = request.cookies[sessionCookieName(secure)];
  return value && TOKEN.test(value) ? value : null;
}

export function sessionCookie(reply: FastifyReply, secure: boolean): SessionCookie {
  const name = sessionCookieName(secure);
  const attributes = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;
  return {
    set: (token, expiresAt) => {
      reply.setCookie(name, token, { ...attributes, expires: expiresAt });
    },
    clear: () => {
      reply.clearCookie(name, attributes);
    },
  };
}
