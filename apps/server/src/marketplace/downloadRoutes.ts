import { type Clock, type DownloadLinkSettings, type FileStorage, openDownload } from '@handover/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export interface DownloadRoutesDeps {
  em: EntityManager;
  clock: Clock;
  /** Null when DOWNLOAD_LINK_SECRET is not set: links are refused with 503. */
  links: DownloadLinkSettings | null;
  storage: FileStorage | null;
}

export const downloadParams = z.object({ token: z.string().min(10).max(2000) });

const page = (message: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>Download</title><body style="font-family:system-ui;max-width:36rem;margin:3rem auto"><h1>Download</h1><p>${message.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body></html>`;

/**
 * `GET /downloads/<token>`: seed 003's expiring signed download links, served by the server
 * from the download storage; every attempt is logged (download_logs), served or refused.
 */
export function downloadRoutes(deps: DownloadRoutesDeps) {
  return async (scope: FastifyInstance) => {
    scope.get('/:token', async (request, reply) => {
      const wantsPage = (request.headers.accept ?? '').includes('text/html');
      const refuse = (status: number, error: string, message: string) =>
        wantsPage
          ? reply.code(status).type('text/html; charset=utf-8').send(page(message))
          : reply.code(status).send({ error, message });
      if (!deps.links || !deps.storage) return refuse(503, 'not_configured', 'Downloads are not set up here.');
      const parsed = downloadParams.safeParse(request.params);
      if (!parsed.success) return refuse(403, 'signature_invalid', 'This download link is not one we made.');
      const outcome = await openDownload(deps.em.fork(), deps.storage, deps.links, {
        token: parsed.data.token,
        now: deps.clock.now(),
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      if (!outcome.ok) return refuse(outcome.status, outcome.reason, outcome.message);
      const filename = outcome.file.key.split('/').pop() ?? 'download';
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', String(outcome.size))
        .header('content-disposition', `attachment; filename="${filename.replace(/["\\]/g, '_')}"`)
        .header('cache-control', 'no-store')
        .send(outcome.stream);
    });
  };
}
