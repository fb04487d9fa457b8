import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';

/** Security headers on every response, and CORS for the portal and back office origins only. */
export async function registerHardening(app: FastifyInstance, config: ServerConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config.NODE_ENV === 'production') },
    // HSTS only where the server is reached over https; in development it would pin localhost.
    strictTransportSecurity: config.NODE_ENV === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  await app.register(cors, {
    origin: config.allowedOrigins,
    credentials: true,
    methods: ['GET', 'POST'],
  });
}

/**
 * The portal and back office load and send everything from this server and nowhere else: no
 * third-party script, style, font, image (react-admin's telemetry beacon is one) or connection.
 * Styles may be inline (the back office's components write theirs at run time); nothing else.
 */
export function contentSecurityPolicy(production: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    ...(production ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated mutations: they must be JSON (which a cross-site form
 * cannot send without a CORS preflight that is refused) and, when the browser says where they
 * come from, come from an allowed origin. Non-browser clients send neither header.
 */
export function csrfGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (SAFE_METHODS.has(request.method)) return;
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      return reply.code(415).send({ error: 'unsupported_media_type', message: 'Send API calls as application/json.' });
    }
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const fromElsewhere = origin
      ? !allowed.has(origin)
      : typeof fetchSite === 'string' && !['same-origin', 'none'].includes(fetchSite);
    if (fromElsewhere) {
      request.log.warn({ origin, fetchSite }, 'cross-site API call refused');
      return reply.code(403).send({ error: 'forbidden_origin', message: 'Calls from this site are not allowed.' });
    }
  };
}
