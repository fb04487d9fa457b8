import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { escapeHtml } from '../shared/hostedPage';
import { readKey, signatureValid } from './licenseCheck';

/** What the vendor app reads from the environment: where Handover's activation API is. */
export const vendorAppEmulatorEnv = z.object({
  /** Handover's server (its `/licenses/...` API), e.g. `http://127.0.0.1:4000`; unset, the page says so. */
  VENDOR_APP_LICENSE_API_URL: z.url().optional(),
});

interface Attempt {
  at: string;
  action: 'activate' | 'deactivate' | 'check';
  instanceId: string;
  status: number;
  answer: unknown;
}

const form = z.object({
  license_key: z.string().trim().default(''),
  label: z.string().trim().max(200).default(''),
  instance_id: z.string().trim().max(200).default(''),
});

/**
 * A vendor's desktop app as seed 003's self-hosted products have them: a page where a person
 * pastes the licence key Handover gave them; the app checks its signature offline with the
 * product's public key, then activates this machine through Handover's activation API (and
 * deactivates or checks it). Its state is the machine's id and what the API answered.
 */
export function vendorAppEmulator(options: { apiUrl?: string; now?: () => Date } = {}): Emulator {
  const now = options.now ?? (() => new Date());
  let apiUrl = options.apiUrl;
  let attempts: Attempt[] = [];
  // One machine per sandbox run, as one installation of the app.
  let machine = `sandbox-${randomBytes(4).toString('hex')}`;

  const call = async (path: string, init?: RequestInit) => {
    if (!apiUrl) throw new Error('VENDOR_APP_LICENSE_API_URL is not set: the app does not know where Handover is');
    const res = await fetch(`${apiUrl.replace(/\/$/, '')}/licenses/${path}`, init);
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };

  const page = (reply: FastifyReply, body: { result?: string; tone?: 'ok' | 'bad'; key?: string; label?: string }) =>
    reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoicing for Desktop: licence</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
.badge{display:inline-block;background:#fde68a;border-radius:4px;padding:2px 6px;font-size:.8rem}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}textarea,input{width:100%;font:inherit;padding:.4rem;box-sizing:border-box}
.result{padding:.6rem;border-radius:4px;white-space:pre-wrap}.ok{background:#dcfce7}.bad{background:#fee2e2}
button{font-size:1rem;padding:.5rem 1rem;margin:.8rem .5rem 0 0;border-radius:4px;border:1px solid #2563eb;background:#2563eb;color:#fff}
</style></head><body>
<p><span class="badge">Vendor app sandbox</span></p>
<h1>Activate your licence</h1>
<p>This machine: <code>${escapeHtml(machine)}</code></p>
${body.result ? `<p class="result ${body.tone ?? 'ok'}" role="status">${escapeHtml(body.result)}</p>` : ''}
<form method="post" action="/vendor-app/activate">
<label for="license_key">Licence key</label>
<textarea id="license_key" name="license_key" rows="4" required>${escapeHtml(body.key ?? '')}</textarea>
<label for="label">Name of this machine</label>
<input id="label" name="label" value="${escapeHtml(body.label ?? '')}" placeholder="Front desk">
<input type="hidden" name="instance_id" value="${escapeHtml(machine)}">
<button type="submit">Activate</button>
<button type="submit" formaction="/vendor-app/check">Check</button>
<button type="submit" formaction="/vendor-app/deactivate">Deactivate</button>
</form>
</body></html>`);

  /** Offline first (signature, expiry), then the API; the page says what happened in words. */
  const act = (action: Attempt['action']) => async (request: { body: unknown }, reply: FastifyReply) => {
    const input = form.parse(request.body ?? {});
    const instanceId = input.instance_id || machine;
    const show = (result: string, tone: 'ok' | 'bad') =>
      page(reply, { result, tone, key: input.license_key, label: input.label });
    const read = readKey(input.license_key);
    if (!read) return show('This is not a licence key: it should start with HOL1.', 'bad');
    let published: Awaited<ReturnType<typeof call>>;
    try {
      published = await call(`public-key?key_id=${encodeURIComponent(read.claims.key_id)}`);
    } catch (error) {
      return show((error as Error).message, 'bad');
    }
    const pem = typeof published.body?.public_key === 'string' ? published.body.public_key : '';
    if (!pem || !signatureValid(read, pem)) {
      return show('The licence key’s signature does not check out: it was changed, or is not for this app.', 'bad');
    }
    const answer = await call(action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ license_key: input.license_key, instance_id: instanceId, label: input.label }),
    });
    attempts.push({ at: now().toISOString(), action, instanceId, status: answer.status, answer: answer.body });
    if (answer.status !== 200) {
      return show(`Handover refused (${String(answer.body?.error)}): ${String(answer.body?.message)}`, 'bad');
    }
    const license = (answer.body?.license ?? {}) as {
      activations_used?: number;
      activation_limit?: number;
      licensee?: string;
    };
    const verb = action === 'activate' ? 'Activated' : action === 'deactivate' ? 'Deactivated' : 'Active';
    return show(
      `${verb} on ${input.label || instanceId}. Signature valid (key ${read.claims.key_id}); licensed to ${license.licensee || 'you'}; ${license.activations_used} of ${license.activation_limit} machines in use.`,
      'ok',
    );
  };

  return {
    name: 'vendor-app',
    prefix: '/vendor-app',
    register(app: FastifyInstance) {
      acceptForms(app);
      app.get('/', async (_request, reply) => page(reply, {}));
      app.post('/activate', act('activate'));
      app.post('/deactivate', act('deactivate'));
      app.post('/check', act('check'));
    },
    control(app: FastifyInstance) {
      app.get('/attempts', async () => ({ machine, apiUrl: apiUrl ?? null, attempts }));
      app.put('/settings', async (request, reply) => {
        const body = z
          .object({ apiUrl: z.url().optional(), machine: z.string().min(1).max(200).optional() })
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        apiUrl = body.data.apiUrl ?? apiUrl;
        machine = body.data.machine ?? machine;
        return { apiUrl: apiUrl ?? null, machine };
      });
    },
    reset() {
      attempts = [];
    },
  };
}
