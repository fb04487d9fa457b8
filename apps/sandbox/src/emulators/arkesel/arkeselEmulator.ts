import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { WebhookSender } from '../shared/webhookSender';
import { numberOutcomeSchema, type SentSms, SmsLog } from './smsLog';
import { smsPage } from './smsPage';

export const arkeselEmulatorEnv = z.object({
  /** The key Arkesel accepts in its `api-key` header. Unset, a random one is made. */
  ARKESEL_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(24).toString('base64url')),
});

export interface ArkeselEmulatorOptions {
  apiKey: string;
  /** SMS units (one per 160-character page per recipient) the account starts with. */
  smsBalance?: number;
  /** How long after a send the network's delivery report comes. */
  reportDelayMs?: number;
  /** Pauses before the 2nd, 3rd, ... attempt to deliver a report that was not answered with a 2xx. */
  retryDelaysMs?: number[];
  now?: () => Date;
}

/** SMS API v2 `POST /api/v2/sms/send`. */
const sendBody = z.object({
  sender: z.string().trim().min(1, 'is required').max(11, 'must be at most 11 characters'),
  message: z.string().min(1, 'is required'),
  recipients: z.array(z.string()).min(1, 'needs at least one number'),
  callback_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  sandbox: z.boolean().optional(),
  use_case: z.enum(['promotional', 'transactional']).optional(),
});

/**
 * Arkesel's SMS API v2 (https://developers.arkesel.com, as its SDKs call it): `api-key` header,
 * `POST /api/v2/sms/send` with `sender`, `message`, `recipients` and an optional `callback_url`,
 * answered `{ status: "success", data: [{ recipient, id }, { "invalid numbers": [...] }] }`;
 * `GET /api/v2/sms/{id}` and `GET /api/v2/clients/balance-details`. Errors as Arkesel's SDKs map
 * them: 403 for a bad key, 402 for an empty SMS balance, 422 for a bad request.
 *
 * After a short delay the network's final status (`DELIVERED`, or what the control API set for
 * the number) is reported to the text's `callback_url`, exactly as given, with `sms_id` and
 * `status`. Arkesel signs nothing and its documentation does not show the call's shape, so the
 * sandbox POSTs the report as JSON, unsigned, retrying until a 2xx; a receiver proves it by what
 * it put in the URL and reads the status back with `GET /api/v2/sms/{id}`. Scheduled sends are
 * not emulated.
 */
export function arkeselEmulator(options: ArkeselEmulatorOptions): Emulator {
  const log = new SmsLog(options.smsBalance ?? 10_000);
  const now = options.now ?? (() => new Date());
  const reportDelayMs = options.reportDelayMs ?? 500;
  const timers = new Set<NodeJS.Timeout>();
  const reports = new WebhookSender({
    path: '',
    // Reports go only to the URL each send names, as Arkesel's callback_url works.
    webhookBaseUrl: () => undefined,
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 30_000],
    now,
  });

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers['api-key'] !== options.apiKey) {
      return reply.code(403).send({ status: 'error', message: 'Invalid or missing api-key' });
    }
  };

  const reportId = (sms: SentSms, status: string) => `${sms.id}:${status}`;

  /** The network settles the text after the delay, and its report goes to the callback URL. */
  const settleLater = (sms: SentSms) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const status = log.finalStatus(sms);
      log.settle(sms.id, status);
      if (!sms.callbackUrl) return;
      const body = JSON.stringify({ sms_id: sms.id, status });
      reports.send({
        id: reportId(sms, status),
        type: status,
        body,
        url: sms.callbackUrl,
        headers: () => ({}),
      });
    }, reportDelayMs);
    timer.unref();
    timers.add(timer);
  };

  return {
    name: 'arkesel',
    prefix: '/arkesel',
    register(app: FastifyInstance) {
      app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(smsPage(log.list())));

      app.post('/api/v2/sms/send', { preHandler: authorize }, async (request, reply) => {
        const body = sendBody.safeParse(request.body);
        if (!body.success) return reply.code(422).send({ status: 'error', message: describe(body.error) });
        const valid: string[] = [];
        const invalid: string[] = [];
        for (const number of body.data.recipients) {
          const recipient = log.recipient(number);
          if (recipient) valid.push(recipient);
          else invalid.push(number);
        }
        const sent =
          valid.length === 0
            ? []
            : log.accept(
                valid,
                {
                  sender: body.data.sender,
                  message: body.data.message,
                  callbackUrl: body.data.callback_url ?? null,
                  sandbox: body.data.sandbox ?? false,
                },
                now(),
              );
        if (!sent) return reply.code(402).send({ status: 'error', message: 'Insufficient balance' });
        for (const sms of sent) settleLater(sms);
        return {
          status: 'success',
          data: [
            ...sent.map((sms) => ({ recipient: sms.recipient, id: sms.id })),
            ...(invalid.length ? [{ 'invalid numbers': invalid }] : []),
          ],
        };
      });

      app.get('/api/v2/sms/:id', { preHandler: authorize }, async (request, reply) => {
        const sms = log.get((request.params as { id: string }).id);
        if (!sms) return reply.code(404).send({ status: 'error', message: 'SMS not found' });
        return {
          status: 'success',
          data: {
            id: sms.id,
            sender: sms.sender,
            recipient: sms.recipient,
            message: sms.message,
            status: sms.status,
            message_count: sms.pages,
            sent_at_time: sms.sentAt,
          },
        };
      });

      app.get('/api/v2/clients/balance-details', { preHandler: authorize }, async () => ({
        status: 'success',
        data: { sms_balance: log.smsBalance, main_balance: 0 },
      }));
    },

    control(app: FastifyInstance) {
      app.get('/messages', async (request, reply) => {
        const query = z.object({ to: z.string().optional() }).safeParse(request.query);
        if (!query.success) return reply.code(400).send({ error: z.prettifyError(query.error) });
        return { messages: log.list(query.data) };
      });
      /** Delivers a text's last report again, as at-least-once delivery may. */
      app.post('/messages/:id/resend-report', async (request, reply) => {
        const sms = log.get((request.params as { id: string }).id);
        const status = sms?.reports.at(-1);
        if (!sms || !status || !reports.resend(reportId(sms, status))) {
          return reply.code(404).send({ error: 'no delivery report was sent for that text' });
        }
        return reply.code(202).send({ resent: reportId(sms, status) });
      });
      /** Every report delivery with its attempts. */
      app.get('/reports', async () => ({ reports: reports.list() }));

      app.get('/numbers', async () => ({ numbers: log.listOutcomes() }));
      app.put('/numbers/:number', async (request, reply) => {
        const body = numberOutcomeSchema.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const number = log.setOutcome((request.params as { number: string }).number, body.data.outcome);
        if (!number) return reply.code(400).send({ error: 'not a phone number' });
        return { number, outcome: body.data.outcome };
      });
      app.delete('/numbers/:number', async (request, reply) => {
        log.setOutcome((request.params as { number: string }).number, null);
        return reply.code(204).send();
      });

      app.put('/balance', async (request, reply) => {
        const body = z
          .object({ sms_balance: z.number().int().min(0) })
          .strict()
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        log.setBalance(body.data.sms_balance);
        return { sms_balance: log.smsBalance };
      });
    },

    reset() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      reports.reset();
      log.reset();
    },
  };
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}
