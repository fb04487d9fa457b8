import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOADS } from '@handover/contracts';
import { activateLicenseSchema, licenseInstanceSchema } from '@handover/core';
import { z } from 'zod';
import { invoiceParams } from '../invoices/invoiceRoutes';
import { downloadParams } from '../marketplace/downloadRoutes';
import { licenseAnswer, publicKeyAnswer, publicKeyQuery } from '../marketplace/licenseRoutes';
import {
  provisionAccepted,
  provisionBody,
  provisionParams,
  provisionRejected,
  rejectBody,
} from '../operatorApi/provisionRoutes';
import { idempotencyKeyHeader, signedHeaders } from '../operatorApi/signedRoutes';
import { webhookAccepted, webhookParams } from '../payments/webhookRoutes';
import { listExportFileSchema } from '../reports/listExportRoutes';
import { reportFileSchema, reportQuerySchema } from '../reports/reportRoutes';
import { smsReportParams, smsReportQuery } from '../sms/smsReportRoutes';

// The HTTP surfaces that are not tRPC, described from the routes' own zod schemas (zod's
// toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 takes it). tRPC procedures are typed end to
// end through the AppRouter and @handover/client instead.

/**
 * Every refusal and failure these routes answer with, in the server's one error shape: a code,
 * a message for the caller and the request id the details are logged under. Some add a field.
 */
export const errorAnswer = z.object({
  error: z.string().meta({ description: 'A code to branch on, e.g. `unauthorized`, `invalid_webhook`' }),
  message: z.string().meta({ description: 'What went wrong, in words a person can act on' }),
  requestId: z.string().meta({
    description: 'The request id (also the X-Request-Id header): the details are logged under it, quote it to support',
  }),
  reason: z.string().optional().meta({ description: 'Why a signed operator call was refused' }),
  problems: z.array(z.string()).optional().meta({ description: 'Each bad query parameter, by name' }),
  fieldErrors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .meta({ description: 'Each bad field of the body, by name' }),
});

export const livenessAnswer = z.object({ ok: z.literal(true) });

export const healthAnswer = z.object({
  ok: z.boolean(),
  database: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  worker: z.object({ ok: z.boolean(), liveProcesses: z.number().int(), lastHeartbeatAt: z.string().nullable() }),
});

export const smsReportAnswer = z.object({ received: z.literal(true) });

type JsonSchema = Record<string, unknown>;

/** A zod schema as the JSON Schema a request may send (inputs) or a response carries. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' });
  return rest as JsonSchema;
}

/** The fields of a zod object as OpenAPI parameters in `where`. */
function parameters(where: 'path' | 'query' | 'header', schema: z.ZodObject, required?: boolean) {
  const described = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (required ?? described.required?.includes(name) ?? false),
    schema: property,
  }));
}

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
});
const refusal = (description: string) => json(errorAnswer, description);

const webhookHeaderParameters = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'The message id: the same on every attempt of one delivery; drop repeats by it',
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: 'Unix seconds when this attempt was signed',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description: '`v1,<base64 HMAC-SHA256>`, space-separated when two secrets sign during a rotation',
  },
];

/** What every signed operator call (`/provision/...`) sends. */
const signedOperatorCall = {
  security: [{ operatorSignature: [] }],
  parameters: [
    ...parameters('path', provisionParams),
    ...parameters('header', signedHeaders, true),
    ...parameters('header', idempotencyKeyHeader, true),
  ],
};

/** How every signed operator call may be refused before it reaches its order. */
const signedOperatorRefusals = {
  '401': refusal('Missing, stale, forged or replayed signature'),
  '403': refusal('The caller is not in PROVISION_ALLOWED_IPS'),
  '422': refusal('The Idempotency-Key was used with another request'),
  '503': refusal('Signed operator calls are off here'),
};

/** A call the vendor's software makes with the customer's licence key and a machine's id. */
const licenseCall = (operationId: string, summary: string, body: z.ZodType, refusals = {}) => ({
  post: {
    operationId,
    summary,
    description: "Called by the vendor's software with the customer's licence key and the machine's id.",
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } },
    responses: {
      '200': json(licenseAnswer, 'The activation and the licence'),
      '400': refusal('A body that is not a licence key and a machine id'),
      '403': refusal('The licence is revoked, expired or not valid'),
      '404': refusal('No such licence or activation'),
      '410': refusal('The licence has expired'),
      ...refusals,
    },
  },
});

/** The OpenAPI 3.1 document Handover serves at /openapi.json. */
export function openApiDocument(options: { publicUrl: string }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Handover HTTP API',
      version: '1.0.0',
      description: [
        'The HTTP surfaces of Handover that are not tRPC: inbound payment and SMS webhooks, the signed',
        'operator API (`/provision`), report downloads, health, and the outbound webhooks Handover',
        'sends (under `webhooks`). The procedures at `/trpc` are typed end to end by the AppRouter and',
        'the `@handover/client` SDK; see docs/developers.md.',
      ].join(' '),
    },
    servers: [{ url: options.publicUrl }],
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'An API token: `Authorization: Bearer hov_…`' },
        session: { type: 'apiKey', in: 'cookie', name: 'handover_session', description: 'A signed-in browser' },
        operatorSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Signature',
          description: 'HMAC-SHA256 over method, path, X-Timestamp, X-Nonce and the body, with PROVISION_API_SECRETS',
        },
      },
      schemas: {
        Error: jsonSchema(errorAnswer, 'output'),
        ...Object.fromEntries(
          WEBHOOK_EVENT_TYPES.map((type) => [`webhook.${type}`, jsonSchema(WEBHOOK_PAYLOADS[type], 'output')]),
        ),
      },
    },
    paths: {
      '/livez': {
        get: {
          operationId: 'liveness',
          summary: 'The process answers (no database call)',
          responses: { '200': json(livenessAnswer, 'Alive') },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'The database and the workers',
          responses: {
            '200': json(healthAnswer, 'The database answers and a worker is alive'),
            '503': json(healthAnswer, 'Something is down: the report says what'),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
      '/webhooks/{gateway}': {
        post: {
          operationId: 'receivePaymentWebhook',
          summary: "A payment gateway's event (Stripe, PayPal, Dodo Payments, the sandbox gateway)",
          description:
            "Verified against the raw body with the gateway's own signature scheme (Stripe-Signature, PayPal's " +
            'transmission headers, Standard Webhooks for Dodo), recorded once per event id, and applied in one transaction.',
          parameters: parameters('path', webhookParams),
          requestBody: {
            required: true,
            description: "The gateway's event, exactly as it signed it",
            content: { 'application/json': { schema: {} } },
          },
          responses: {
            '200': json(webhookAccepted, 'Taken: processed, ignored, deferred for a later look, or a duplicate'),
            '400': refusal('Unsigned, forged or expired'),
            '404': refusal('No such gateway configured here'),
            '500': refusal('Applying it failed and was rolled back: the gateway retries'),
            '503': refusal('The signature cannot be checked right now (Retry-After)'),
          },
        },
      },
      '/webhooks/sms/{provider}': Object.fromEntries(
        (['post', 'get'] as const).map((method) => [
          method,
          {
            operationId: method === 'post' ? 'receiveSmsReport' : 'receiveSmsReportByGet',
            summary: "An SMS provider's delivery callback for one text",
            description:
              'The token in the URL proves the text is ours; the body is not read: the status is read back from the provider.',
            parameters: [...parameters('path', smsReportParams), ...parameters('query', smsReportQuery)],
            responses: {
              '200': json(smsReportAnswer, 'The status will be read back'),
              '400': refusal('The reference is not one of our texts'),
              '401': refusal('The token does not match'),
              '404': refusal('No such provider here'),
              '503': refusal('No SMS provider is set up here'),
            },
          },
        ]),
      ),
      '/provision/orders/{id}': {
        post: {
          operationId: 'approveOrderForProvisioning',
          summary: "The operator's system approves an order for provisioning",
          ...signedOperatorCall,
          requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(provisionBody) } } },
          responses: {
            '202': json(provisionAccepted, 'Approved: its records are queued'),
            '400': refusal('A bad body or a missing Idempotency-Key'),
            ...signedOperatorRefusals,
            '404': refusal('No such order'),
            '409': refusal('The order cannot be approved now, or the first call with this key is still running'),
          },
        },
      },
      '/provision/orders/{id}/reject': {
        post: {
          operationId: 'rejectOrderForProvisioning',
          summary:
            "The operator's system rejects an order that waited for review: it is cancelled, what was paid refunded and the customer told why",
          ...signedOperatorCall,
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(rejectBody) } } },
          responses: {
            '200': json(provisionRejected, 'Rejected: the order is cancelled and its refunds started'),
            '400': refusal('A bad body (the reason is required) or a missing Idempotency-Key'),
            ...signedOperatorRefusals,
            '404': refusal('No such order'),
            '409': refusal('The order was already decided, or the first call with this key is still running'),
          },
        },
      },
      '/licenses/activate': licenseCall(
        'activateLicense',
        'Activates a licence on one machine',
        activateLicenseSchema,
        {
          '409': refusal('The licence is at its activation limit'),
        },
      ),
      '/licenses/deactivate': licenseCall(
        'deactivateLicense',
        'Frees the activation of one machine',
        licenseInstanceSchema,
      ),
      '/licenses/check': licenseCall(
        'checkLicenseActivation',
        'Says whether a machine holds a valid activation',
        licenseInstanceSchema,
      ),
      '/licenses/public-key': {
        get: {
          operationId: 'licensePublicKey',
          summary: 'The Ed25519 public key a licence key was signed with, to check keys offline',
          parameters: parameters('query', publicKeyQuery),
          responses: {
            '200': json(publicKeyAnswer, 'The public key'),
            '400': refusal('key_id is missing'),
            '404': refusal('No signing key with that id'),
          },
        },
      },
      '/invoices/{file}': {
        get: {
          operationId: 'downloadInvoice',
          summary: "The signed-in customer's invoice for one of their orders, as a PDF (`<order code>.pdf`)",
          description: "Another customer's order is answered as a missing one.",
          security: [{ session: [] }],
          parameters: parameters('path', invoiceParams),
          responses: {
            '200': {
              description: 'The invoice',
              content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
            },
            '400': refusal('Not <order code>.pdf'),
            '401': refusal('Not signed in'),
            '404': refusal('No such order of yours, or a test order'),
          },
        },
      },
      '/downloads/{token}': {
        get: {
          operationId: 'download',
          summary: "A file of the customer's product, through an expiring signed link",
          description: 'Every attempt is logged. A browser (Accept: text/html) gets an HTML page for a refusal.',
          parameters: parameters('path', downloadParams),
          responses: {
            '200': {
              description: 'The file',
              content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
            },
            '403': refusal('A link we did not make, or one for another customer'),
            '404': refusal('The file is gone'),
            '410': refusal('The link has expired'),
            '429': refusal('Too many downloads of this file just now'),
            '503': refusal('Downloads are not set up here'),
          },
        },
      },
      '/reports/{file}': {
        get: {
          operationId: 'downloadReport',
          summary: 'A report as CSV or XLSX, streamed',
          description:
            'Finance and admin (data orders: ops too). With an API token, it needs `reports:finance` (`orders:read` for a report ops may read).',
          security: [{ apiToken: [] }, { session: [] }],
          parameters: [
            {
              name: 'file',
              in: 'path',
              required: true,
              schema: { ...jsonSchema(reportFileSchema), examples: ['revenue.csv', 'refunds.xlsx'] },
            },
            ...parameters('query', reportQuerySchema),
          ],
          responses: {
            '200': {
              description: 'The report, streamed',
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', contentMediaType: 'application/octet-stream' },
                },
              },
            },
            '400': refusal('A bad file name or filter: `problems` names each parameter'),
            '401': refusal('Not signed in, or the API token is not valid'),
            '403': refusal('The role or the token scope does not allow this report'),
            '429': refusal('The API token made too many calls (Retry-After)'),
          },
        },
      },
      '/exports/{file}': {
        get: {
          operationId: 'exportList',
          summary: "A back-office list's rows matching its filter, every page, as CSV, streamed",
          description:
            "The query parameters are the list's filter, named as the list's procedure names them (orders: `q`, `status`, `fulfillmentStatus`, `createdFrom`, `createdTo`; an unknown one is refused). Staff roles as the list allows (inventory items: ops and admin); with an API token, it needs `orders:read`. Text cells that a spreadsheet would run as a formula start with `'`.",
          security: [{ apiToken: [] }, { session: [] }],
          parameters: [
            {
              name: 'file',
              in: 'path',
              required: true,
              schema: { ...jsonSchema(listExportFileSchema), examples: ['orders.csv', 'fulfillment-logs.csv'] },
            },
          ],
          responses: {
            '200': { description: 'The rows, newest first', content: { 'text/csv': { schema: { type: 'string' } } } },
            '400': refusal('A filter the list does not take: `problems` names each parameter'),
            '401': refusal('Not signed in, or the API token is not valid'),
            '403': refusal('The role or the token scope does not allow this list'),
            '404': refusal('No such list'),
            '429': refusal('The API token made too many calls (Retry-After)'),
          },
        },
      },
    },
    webhooks: Object.fromEntries(
      WEBHOOK_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            operationId: `webhook.${type}`,
            summary: WEBHOOK_EVENT_LABELS[type],
            description:
              'Sent to each endpoint subscribed to it, signed as Standard Webhooks sign (verify with a standardwebhooks library and your `whsec_` secret). Answer 2xx within 10 seconds; anything else is retried for about three days.',
            parameters: webhookHeaderParameters,
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/webhook.${type}` } } },
            },
            responses: { '200': { description: 'Taken (any 2xx)' } },
          },
        },
      ]),
    ),
  };
}
