import { PassThrough, Readable } from 'node:stream';
import { type ApiTokenScope, scopeGrants, type UserRole } from '@handover/contracts';
import {
  type Clock,
  downloadFileName,
  openCopyStream,
  type RateLimiter,
  REPORT_DOWNLOADS,
  type ReportDownload,
  recordActivity,
  reportFilterSchema,
  reportNameSchema,
  resolveApiToken,
  resolveSession,
  type SessionUser,
  withTimeZone,
} from '@handover/core';
import type { Orm } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readBearerToken } from '../http/bearerToken';
import { readSessionToken } from '../http/sessionCookie';
import { csvBody, csvQuery } from './csv';
import { sheetRowsQuery, writeXlsx } from './xlsx';

export interface ReportRouteDeps {
  orm: Orm;
  clock: Clock;
  secureCookies: boolean;
  sessionTtlMs: number;
  businessTimeZone: string;
  /** API tokens' budget of calls, shared with the API. */
  tokenRateLimiter?: RateLimiter | null;
}

const ALLOWED: readonly UserRole[] = ['finance', 'admin'];

export const reportFileSchema = z
  .string()
  .regex(/^[a-z-]+\.(csv|xlsx)$/, 'ask for <report>.csv or <report>.xlsx')
  .transform((file) => {
    const dot = file.lastIndexOf('.');
    return { report: file.slice(0, dot), format: file.slice(dot + 1) as 'csv' | 'xlsx' };
  })
  .pipe(z.object({ report: reportNameSchema, format: z.enum(['csv', 'xlsx']) }));

const TOKEN_REFUSED = 'This API token is not valid: it was revoked, has expired or never existed.';

/**
 * Who asks for the download: the bearer token's owner (with its scopes), or the session behind
 * the cookie; 'refused' for a bearer token that is not valid.
 */
async function callerOf(
  request: FastifyRequest,
  em: EntityManager,
  deps: Pick<ReportRouteDeps, 'clock' | 'secureCookies' | 'sessionTtlMs'>,
): Promise<{ user: SessionUser; token: { id: string; scopes: ApiTokenScope[] } | null } | 'refused' | null> {
  const bearer = readBearerToken(request);
  if (bearer) {
    const origin = { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
    const found = await resolveApiToken(em, bearer, origin, deps.clock);
    if (!found) return 'refused';
    return { user: found.user, token: { id: found.tokenId, scopes: found.scopes } };
  }
  const cookie = readSessionToken(request, deps.secureCookies);
  const session = cookie ? await resolveSession(em, cookie, deps.sessionTtlMs, deps.clock) : null;
  return session ? { user: session.user, token: null } : null;
}

/**
 * The caller of a download, or null once the refusal is sent: 401 without a valid session or
 * token, 429 when the token has used its budget of calls.
 */
export async function downloadCaller(
  request: FastifyRequest,
  reply: FastifyReply,
  em: EntityManager,
  deps: Pick<ReportRouteDeps, 'clock' | 'secureCookies' | 'sessionTtlMs' | 'tokenRateLimiter'>,
) {
  const caller = await callerOf(request, em, deps);
  if (caller === 'refused') {
    await reply.code(401).send({ error: 'unauthorized', message: TOKEN_REFUSED });
    return null;
  }
  if (!caller) {
    await reply.code(401).send({ error: 'unauthorized', message: 'Sign in to continue.' });
    return null;
  }
  if (caller.token) {
    const verdict = await deps.tokenRateLimiter?.take(em, caller.token.id);
    if (verdict && !verdict.allowed) {
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      await reply
        .code(429)
        .header('retry-after', String(seconds))
        .send({
          error: 'too_many_requests',
          message: `This API token made too many calls; try again in ${seconds} s.`,
        });
      return null;
    }
  }
  return caller;
}

/** The download's query string, named as in the back office's links. */
export const reportQuerySchema = z
  .object({
    from: z.string({ error: 'required: the first day, like 2026-11-01' }),
    to: z.string({ error: 'required: the last day, like 2026-11-30' }),
    tz: z.string().optional(),
    product: z.string().optional(),
    driver: z.string().optional(),
    gateway: z.string().optional(),
    network: z.string().optional(),
    status: z.string().optional(),
    phone: z.string().optional(),
  })
  .strict();

/** The query as a report filter; an empty parameter counts as left out. */
function parseFilter(query: unknown) {
  const q = reportQuerySchema.safeParse(query);
  if (!q.success) return q;
  return reportFilterSchema.safeParse({
    from: q.data.from,
    to: q.data.to,
    timeZone: q.data.tz || undefined,
    productId: q.data.product || undefined,
    driver: q.data.driver || undefined,
    gateway: q.data.gateway || undefined,
    network: q.data.network || undefined,
    status: q.data.status || undefined,
    phone: q.data.phone || undefined,
  });
}

/** Filter fields by the query parameter that carries them. */
const PARAM: Record<string, string> = { timeZone: 'tz', productId: 'product' };

function badRequest(reply: FastifyReply, error: z.ZodError) {
  const problems = error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'query');
    return `${PARAM[field] ?? field}: ${issue.message}`;
  });
  return reply.code(400).send({ error: 'bad_request', message: problems.join('; '), problems });
}

/**
 * `GET /reports/<report>.csv|xlsx?from&to&tz&product&driver&gateway`: a report streamed from
 * PostgreSQL's COPY straight into the response. Finance and admin only, signed in or with an API
 * token (`Authorization: Bearer`) that has the report's scope. A download that fails
 * part-way is cut off (the connection is destroyed before the last chunk), so the browser
 * reports a failed download rather than saving a short file as if it were whole.
 */
export function reportRoutes(deps: ReportRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { file: string }; Querystring: Record<string, string> }>('/:file', async (request, reply) => {
      const em = deps.orm.em.fork();
      const caller = await downloadCaller(request, reply, em, deps);
      if (!caller) return reply;
      const file = reportFileSchema.safeParse(request.params.file);
      const allowed = (file.success && (REPORT_DOWNLOADS[file.data.report] as ReportDownload).roles) || ALLOWED;
      if (!allowed.includes(caller.user.role)) {
        return reply
          .code(403)
          .send({ error: 'forbidden', message: `This report needs the ${allowed.join(' or ')} role.` });
      }
      // A report ops may read is an operational read; the others are finance's.
      const scope: ApiTokenScope = allowed.includes('ops') ? 'orders:read' : 'reports:finance';
      if (caller.token && !scopeGrants(caller.token.scopes, scope)) {
        return reply
          .code(403)
          .send({ error: 'forbidden', message: `This API token does not have the ${scope} scope.` });
      }
      if (!file.success) return badRequest(reply, file.error);
      const parsed = parseFilter(request.query);
      if (!parsed.success) return badRequest(reply, parsed.error);

      const { report, format } = file.data;
      const filter = withTimeZone(parsed.data, deps.businessTimeZone);
      const download: ReportDownload = REPORT_DOWNLOADS[report];
      const fileName = downloadFileName(report, filter, format);
      recordActivity(em, {
        action: 'report.downloaded',
        subjectType: 'report',
        subjectId: report,
        actor: { type: 'user', id: caller.user.id },
        description: `Downloaded ${fileName}`,
        properties: { format, ...filter },
      });
      await em.flush();

      const query = download.query(filter);
      const rows =
        format === 'csv'
          ? await openCopyStream(em, csvQuery(download.columns, query), 'csv')
          : await openCopyStream(em, sheetRowsQuery(download.columns, query), 'text');
      // The response closing (sent, or the client gone) ends the query and frees its connection.
      reply.raw.once('close', () => rows.destroy());
      reply.header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store');
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .send(Readable.from(csvBody(download.columns, rows), { objectMode: false }));
      }
      const out = new PassThrough();
      // The workbook writer ends `out` when it is done; a failure destroys it instead.
      writeXlsx(out, download.title, download.columns, rows).catch((error: unknown) => {
        request.log.error({ err: error, report }, 'report download failed part-way');
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(out);
    });
  };
}
