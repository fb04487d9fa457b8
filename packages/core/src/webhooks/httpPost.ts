import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { TargetRefusedError, type WebhookTargetGuard } from './targetGuard';

export interface PostAnswer {
  status: number;
  headers: Record<string, string>;
  /** The answer's first `maxBodyBytes`, as text. */
  body: string;
}

/** What is kept of an answer's body. */
const MAX_BODY_BYTES = 4096;

/**
 * POSTs `body` to `url` with nothing between: no proxy from the environment, no redirects
 * followed (a 3xx is an answer like any other), every address checked by `guard` before the
 * connection is made, and the whole exchange bounded by `timeoutMs`.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  { guard, timeoutMs }: { guard: WebhookTargetGuard; timeoutMs: number },
): Promise<PostAnswer> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An address written out is connected to without a lookup, so it is checked here.
  const literalRefusal = isIP(host) ? guard.refusal(host) : null;
  if (literalRefusal) return Promise.reject(new TargetRefusedError(literalRefusal));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guard.lookup,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const answer = () => {
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, MAX_BODY_BYTES - kept));
          kept += Math.min(chunk.length, MAX_BODY_BYTES - kept);
          // Enough is kept: the rest is not read.
          if (kept >= MAX_BODY_BYTES) {
            answer();
            req.destroy();
          }
        });
        res.on('end', answer);
        res.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
      },
    );
    // `timeout` above is for an idle socket; this bounds the whole exchange.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(body);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 500);
  }
  return flat;
}
