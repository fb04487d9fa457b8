import { randomUUID } from 'node:crypto';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOADS } from '@handover/contracts';
import { systemClock } from '@handover/core';
import { useTestDatabase } from '@handover/db/vitest';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorAnswer, healthAnswer, jsonSchema, livenessAnswer } from '../src/openapi/document';
import { provisionAccepted, provisionBody, provisionParams } from '../src/operatorApi/provisionRoutes';
import { idempotencyKeyHeader, signedHeaders } from '../src/operatorApi/signedRoutes';
import { webhookAccepted, webhookParams } from '../src/payments/webhookRoutes';
import { reportFileSchema, reportQuerySchema } from '../src/reports/reportRoutes';
import { smsReportParams, smsReportQuery } from '../src/sms/smsReportRoutes';
import { createUser, signedIn, startServer } from './harness';

interface Operation {
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

describe('OpenAPI for the HTTP surfaces that are not tRPC', () => {
  const db = useTestDatabase();
  let app: FastifyInstance;
  let base: string;
  let doc: Document;

  beforeAll(async () => {
    ({ app, base } = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock }));
    await createUser(db.orm, 'finance@example.com', 'finance');
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(() => app?.close());

  const operation = (path: string, method: string) => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return found;
  };
  const parameterSchemas = (op: Operation, where: string) =>
    Object.fromEntries((op.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, p.schema]));
  const propertiesOf = (schema: z.ZodType) =>
    (jsonSchema(schema) as { properties: Record<string, unknown> }).properties;

  /** The answer is one the document lists for the route, and its body passes the documented schema. */
  async function answersAsDocumented<S extends z.ZodType>(
    path: string,
    method: string,
    res: Response,
    schema: S,
  ): Promise<z.output<S>> {
    expect(Object.keys(operation(path, method).responses)).toContain(String(res.status));
    const body = await res.json();
    // Every refusal is the server's one error shape: code, message and request id, nothing undocumented.
    if ((schema as z.ZodType) === errorAnswer) {
      expect(body).toMatchObject({ requestId: res.headers.get('x-request-id') });
      expect(errorAnswer.strict().safeParse(body).error?.issues ?? []).toEqual([]);
    }
    return schema.parse(body);
  }

  it('documents every route the server serves outside /trpc, and no route it does not serve', () => {
    const served = app.routeTable
      .filter((r) => !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/trpc'))
      .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(served));
    expect(doc.openapi).toBe('3.1.0');
  });

  it("describes each route with the route's own schemas", () => {
    const webhook = operation('/webhooks/{gateway}', 'post');
    expect(parameterSchemas(webhook, 'path')).toEqual(propertiesOf(webhookParams));
    expect(webhook.responses['200']?.content?.['application/json']?.schema).toEqual(
      jsonSchema(webhookAccepted, 'output'),
    );

    const provision = operation('/provision/orders/{id}', 'post');
    expect(parameterSchemas(provision, 'path')).toEqual(propertiesOf(provisionParams));
    expect(parameterSchemas(provision, 'header')).toEqual({
      ...propertiesOf(signedHeaders),
      ...propertiesOf(idempotencyKeyHeader),
    });
    expect(provision.requestBody?.content['application/json']?.schema).toEqual(jsonSchema(provisionBody));
    expect(provision.responses['202']?.content?.['application/json']?.schema).toEqual(
      jsonSchema(provisionAccepted, 'output'),
    );

    const report = operation('/reports/{file}', 'get');
    expect(parameterSchemas(report, 'query')).toEqual(propertiesOf(reportQuerySchema));
    expect(parameterSchemas(report, 'path').file).toMatchObject(jsonSchema(reportFileSchema));

    for (const method of ['get', 'post']) {
      const sms = operation('/webhooks/sms/{provider}', method);
      expect(parameterSchemas(sms, 'path')).toEqual(propertiesOf(smsReportParams));
      expect(parameterSchemas(sms, 'query')).toEqual(propertiesOf(smsReportQuery));
    }
  });

  it('describes every outbound webhook Handover sends, with the payload schema it is built to', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const body = doc.webhooks[type]?.post?.requestBody?.content['application/json']?.schema as { $ref: string };
      const name = body.$ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name]).toEqual(jsonSchema(WEBHOOK_PAYLOADS[type], 'output'));
      expect(doc.webhooks[type]?.post?.parameters?.map((p) => p.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
    }
  });

  it('answers as documented: statuses listed for the route, bodies that pass its schemas', async () => {
    await answersAsDocumented('/livez', 'get', await fetch(`${base}/livez`), livenessAnswer);
    // No worker runs here: health says so, in the documented shape.
    expect(await answersAsDocumented('/healthz', 'get', await fetch(`${base}/healthz`), healthAnswer)).toMatchObject({
      ok: false,
    });

    const post = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', ...init });
    expect(
      await answersAsDocumented('/webhooks/{gateway}', 'post', await post('/webhooks/nowhere'), errorAnswer),
    ).toMatchObject({ error: 'unknown_gateway' });
    await answersAsDocumented('/webhooks/sms/{provider}', 'post', await post('/webhooks/sms/arkesel'), errorAnswer);
    expect(
      await answersAsDocumented(
        '/provision/orders/{id}',
        'post',
        await post(`/provision/orders/${randomUUID()}`),
        errorAnswer,
      ),
    ).toMatchObject({ error: 'operator_api_disabled' });

    const reports = (path: string, init?: RequestInit) => fetch(`${base}/reports/${path}`, init);
    await answersAsDocumented(
      '/reports/{file}',
      'get',
      await reports('revenue.csv?from=2026-11-01&to=2026-11-02'),
      errorAnswer,
    );
    const finance = await signedIn(base, 'finance@example.com');
    const cookie = [...finance.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const bad = await answersAsDocumented(
      '/reports/{file}',
      'get',
      await reports('revenue.csv?from=yesterday', { headers: { cookie } }),
      errorAnswer,
    );
    expect(bad.problems).toEqual([expect.stringMatching(/^to: required/)]);
    const ok = await reports('refunds.csv?from=2026-11-01&to=2026-11-02', { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(Object.keys(operation('/reports/{file}', 'get').responses['200']?.content ?? {})).toContain(
      ok.headers.get('content-type')?.split(';')[0],
    );
  });

  it('refers only to schemas it defines', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty([ref ?? '']);
  });
});
