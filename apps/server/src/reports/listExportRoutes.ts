import { Readable } from 'node:stream';
import { scopeGrants } from '@handover/contracts';
import {
  listExportColumns,
  listExportFileName,
  listExportQuery,
  listNameSchema,
  listRoles,
  openCopyStream,
  parseListFilter,
  recordActivity,
} from '@handover/core';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { csvBody, csvQuery } from './csv';
import { downloadCaller, type ReportRouteDeps } from './reportRoutes';

export const listExportFileSchema = z
  .string()
  .regex(/^[a-z-]+\.csv$/, 'ask for <list>.csv')
  .transform((file) => file.slice(0, -'.csv'.length))
  .pipe(listNameSchema);

/**
 * `GET /exports/<list>.csv?<the list's filter>`: every row of a back-office list that matches
 * its filter (all pages), streamed from PostgreSQL's COPY as the reports are, with the same CSV
 * writer (RFC 4180, formula-looking text cells prefixed with `'`). Signed in or with an API
 * token holding `orders:read`; each list says which staff roles may have it.
 */
export function listExportRoutes(deps: Omit<ReportRouteDeps, 'businessTimeZone'>): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { file: string }; Querystring: Record<string, string> }>('/:file', async (request, reply) => {
      const em = deps.orm.em.fork();
      const caller = await downloadCaller(request, reply, em, deps);
      if (!caller) return reply;
      const list = listExportFileSchema.safeParse(request.params.file);
      if (!list.success) {
        const message = list.error.issues.map((issue) => issue.message).join('; ');
        return reply.code(404).send({ error: 'not_found', message });
      }
      const roles = listRoles(list.data);
      if (!roles.includes(caller.user.role)) {
        return reply.code(403).send({ error: 'forbidden', message: `This list needs the ${roles.join(' or ')} role.` });
      }
      if (caller.token && !scopeGrants(caller.token.scopes, 'orders:read')) {
        return reply
          .code(403)
          .send({ error: 'forbidden', message: 'This API token does not have the orders:read scope.' });
      }
      // An empty parameter is a filter left blank.
      const given = Object.fromEntries(Object.entries(request.query ?? {}).filter(([, value]) => value !== ''));
      const filter = parseListFilter(list.data, given);
      if (!filter.success) {
        const problems = filter.error.issues.map((issue) => `${String(issue.path[0] ?? 'query')}: ${issue.message}`);
        return reply.code(400).send({ error: 'bad_request', message: problems.join('; '), problems });
      }
      const fileName = listExportFileName(list.data, deps.clock.now());
      recordActivity(em, {
        action: 'list.exported',
        subjectType: 'list',
        subjectId: list.data,
        actor: { type: 'user', id: caller.user.id },
        description: `Exported ${fileName}`,
        properties: { filter: given },
      });
      await em.flush();
      const columns = listExportColumns(list.data);
      const rows = await openCopyStream(em, csvQuery(columns, listExportQuery(list.data, filter.data)), 'csv');
      // The response closing (sent, or the client gone) ends the query and frees its connection.
      reply.raw.once('close', () => rows.destroy());
      return reply
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .type('text/csv; charset=utf-8')
        .send(Readable.from(csvBody(columns, rows), { objectMode: false }));
    });
  };
}
