import { CORRELATION_HEADER, currentCorrelationId, PermanentError, TransientError } from '@handover/core';
import type { MessageSender } from '../tasks/send_outbox';

/**
 * The outbox's `webhook` channel: the message body (JSON, e.g. Slack's `{"text": ...}`) posted to
 * the recipient URL. 5xx, 429, a timeout or no answer are tried again; another 4xx is final.
 */
export function createWebhookSender(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): MessageSender {
  const send = options.fetch ?? fetch;
  return {
    async send(message) {
      const correlationId = currentCorrelationId();
      let res: Response;
      try {
        res = await send(message.recipient, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-handover-outbox-id': message.id,
            ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
          },
          body: message.body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new TransientError(`the webhook could not be reached: ${(error as Error).message}`, 'network_error', {
          cause: error,
        });
      }
      const text = (await res.text()).slice(0, 200);
      if (res.ok) return { providerMessageId: `webhook-${res.status}` };
      const message_ = `the webhook answered ${res.status}${text ? `: ${text}` : ''}`;
      if (res.status === 429 || res.status >= 500) throw new TransientError(message_, 'webhook_unavailable');
      throw new PermanentError(message_, 'webhook_refused');
    },
    close() {},
  };
}
