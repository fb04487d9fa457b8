import { receiveSmsDeliveryCallback } from '@handover/core';
import { DeliveryReportRejected, type SmsSender } from '@handover/integrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** A delivery report is a few fields; what it says is not read anyway (see below). */
const REPORT_BODY_LIMIT = 16 * 1024;

export const smsReportParams = z.object({ provider: z.string().min(1).max(32).meta({ example: 'arkesel' }) });

/** What the callback URL carries: the text's outbox id and the token Handover made for it. */
export const smsReportQuery = z.looseObject({
  reference: z.string().meta({ description: "The text's id, as Handover put it in the callback URL" }),
  token: z.string().meta({ description: 'The token Handover signed for this one text' }),
});

export interface SmsReportDeps {
  em: EntityManager;
  /** The SMS provider, or null when none is set up here (the route then answers 503). */
  sms: SmsSender | null;
}

/**
 * `POST|GET /webhooks/sms/:provider?reference=<outbox id>&token=<token>`: a text's delivery
 * callback. The token in the URL, made by Handover for that one text, proves the call is about a
 * text Handover sent; the body, which the provider does not sign, is not read at all: the text's
 * status is read back from the provider by the `sms_delivery_status` job. So a forged call is
 * refused (401), and a replayed or repeated one only makes Handover look again, changing nothing.
 * 200 once the look is queued.
 */
export function smsReportRoutes(deps: SmsReportDeps) {
  return async (scope: FastifyInstance) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: REPORT_BODY_LIMIT }, (_request, _body, done) =>
      done(null, undefined),
    );

    const receive = async (request: FastifyRequest, reply: FastifyReply) => {
      const parsed = smsReportParams.safeParse(request.params);
      if (!deps.sms) {
        return reply.code(503).send({ error: 'not_configured', message: 'No SMS provider is set up here.' });
      }
      if (!parsed.success || parsed.data.provider !== deps.sms.provider) {
        return reply.code(404).send({ error: 'unknown_provider' });
      }
      let reference: string;
      try {
        reference = deps.sms.verifyDeliveryCallback((request.query ?? {}) as Record<string, unknown>);
      } catch (error) {
        if (!(error instanceof DeliveryReportRejected)) throw error;
        request.log.warn({ reason: error.reason }, 'refused an SMS delivery callback');
        return reply.code(401).send({ error: error.reason, message: error.message });
      }
      const messageId = z.uuid().safeParse(reference);
      if (!messageId.success) return reply.code(400).send({ error: 'bad_reference' });
      await receiveSmsDeliveryCallback(deps.em, messageId.data);
      return reply.code(200).send({ received: true });
    };
    scope.post('/:provider', { bodyLimit: REPORT_BODY_LIMIT }, receive);
    scope.get('/:provider', receive);
  };
}
