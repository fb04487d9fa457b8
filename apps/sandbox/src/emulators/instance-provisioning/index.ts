import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { randomSecret } from '../shared/ids';
import { type Change, type Instance, InstanceStore } from './instances';

/** What the instance-provisioning emulator reads from the environment. */
export const instanceProvisioningEmulatorEnv = z.object({
  /** The bearer key it accepts; unset, a random one is made and no client gets in. */
  INSTANCE_PROVISIONING_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomSecret()),
  /** How long an instance stays `provisioning` (a real one takes minutes; dev wants seconds). */
  INSTANCE_PROVISIONING_READY_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
});

export interface InstanceProvisioningEmulatorOptions {
  apiKey: string;
  readyAfterMs?: number;
  now?: () => Date;
}

/** The provider's catalogue. Templates are the products' own (any id); plans and regions are fixed. */
const PLANS = ['small', 'medium', 'large'] as const;
const REGIONS = ['eu-central', 'eu-west', 'us-east', 'us-west', 'ap-southeast'] as const;

const label63 = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const createBody = z.object({
  template: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a template id such as odoo-17'),
  plan: z.string().min(1, 'is required'),
  region: z.string().min(1, 'is required'),
  domain: z.discriminatedUnion('strategy', [
    z.object({ strategy: z.literal('subdomain'), subdomain: z.string().regex(label63, 'must be a DNS label') }),
    z.object({
      strategy: z.literal('custom_domain'),
      hostname: z
        .string()
        .max(253)
        .regex(/^((?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/, 'must be a host name such as erp.example.com'),
    }),
  ]),
  label: z.string().max(255).optional(),
  admin_email: z.email('must be an email address').optional(),
  metadata: z.record(z.string(), z.string().max(500)).optional(),
});
const idParams = z.object({ id: z.string().min(1) });

/**
 * A dedicated-instance provisioning API (seed 003 §3.1 `saas_singletenant`, §5.4 "server
 * template/profile id, resource limits profile, default domain strategy"). No one vendor's API
 * fitted, so its shape follows common practice: bearer API key (as DigitalOcean's and Vultr's
 * APIs), `202 Accepted` for the asynchronous create, the IETF Idempotency-Key draft (a reused
 * key with another body is 422), and RFC 9457 problem details for errors.
 */
export function instanceProvisioningEmulator(options: InstanceProvisioningEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const initialDelay = options.readyAfterMs ?? 15_000;
  const store = new InstanceStore(initialDelay);

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return problem(reply, 401, 'unauthorized', 'Missing or invalid API key');
    }
  };
  const found = (request: FastifyRequest, reply: FastifyReply): Instance | undefined => {
    const { id } = idParams.parse(request.params);
    const instance = store.get(id, now());
    if (!instance) problem(reply, 404, 'not_found', `No instance "${id}"`);
    return instance;
  };
  const answer = (reply: FastifyReply, change: Change) =>
    'refusal' in change
      ? problem(reply, change.refusal.status, change.refusal.code, change.refusal.detail)
      : reply.send(view(change.instance));

  return {
    name: 'instance-provisioning',
    prefix: '/instance-provisioning',
    idempotencyHeader: 'Idempotency-Key',
    register(app: FastifyInstance) {
      app.addHook('preHandler', authorize);

      app.post('/v1/instances', async (request, reply) => {
        const body = createBody.safeParse(request.body);
        if (!body.success) {
          const detail = body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
          return problem(reply, 422, 'validation_error', detail);
        }
        if (!(PLANS as readonly string[]).includes(body.data.plan)) {
          return problem(reply, 422, 'unknown_plan', `Unknown plan "${body.data.plan}"; plans: ${PLANS.join(', ')}`);
        }
        if (!(REGIONS as readonly string[]).includes(body.data.region)) {
          const detail = `Unknown region "${body.data.region}"; regions: ${REGIONS.join(', ')}`;
          return problem(reply, 422, 'unknown_region', detail);
        }
        const key = request.headers['idempotency-key'];
        const created = store.create(body.data, typeof key === 'string' && key ? key : undefined, now());
        switch (created.kind) {
          case 'key_reused':
            return problem(reply, 422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request');
          case 'domain_taken':
            return problem(reply, 409, 'domain_taken', 'Another instance already answers on this host name');
          case 'deleted':
            return problem(reply, 410, 'instance_deleted', 'The instance this Idempotency-Key created was deleted');
          case 'replayed':
            return reply.header('idempotent-replayed', 'true').code(200).send(view(created.instance));
          case 'created':
            return reply.code(202).send(view(created.instance));
        }
      });

      app.get('/v1/instances/:id', async (request, reply) => {
        const instance = found(request, reply);
        return instance ? view(instance) : reply;
      });
      app.post('/v1/instances/:id/suspend', async (request, reply) => {
        const instance = found(request, reply);
        return instance ? answer(reply, store.suspend(instance)) : reply;
      });
      app.post('/v1/instances/:id/resume', async (request, reply) => {
        const instance = found(request, reply);
        return instance ? answer(reply, store.resume(instance)) : reply;
      });
      app.delete('/v1/instances/:id', async (request, reply) => {
        const instance = found(request, reply);
        if (!instance) return reply;
        store.delete(instance);
        return reply.code(204).send();
      });
    },
    control(app: FastifyInstance) {
      app.get('/instances', async () => ({ instances: store.list(now()).map(view) }));
      app.get('/settings', async () => ({ readyAfterMs: store.readyAfterMs }));
      app.put('/settings', async (request, reply) => {
        const body = z.object({ readyAfterMs: z.number().int().min(0).max(3_600_000) }).safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        store.readyAfterMs = body.data.readyAfterMs;
        return { readyAfterMs: store.readyAfterMs };
      });
      app.post('/instances/:id/ready', async (request, reply) => {
        const instance = found(request, reply);
        return instance ? answer(reply, store.finish(instance, now())) : reply;
      });
      app.post('/instances/:id/fail', async (request, reply) => {
        const instance = found(request, reply);
        if (!instance) return reply;
        const body = z
          .object({
            code: z.string().min(1).default('provisioning_failed'),
            message: z.string().min(1).default('The template did not install'),
          })
          .parse(request.body ?? {});
        return answer(reply, store.fail(instance, body));
      });
    },
    reset() {
      store.reset();
      store.readyAfterMs = initialDelay;
    },
  };
}

/** The instance as the API shows it: URL and first admin only once provisioning has finished. */
function view(instance: Instance) {
  const handedOver = instance.status === 'ready' || instance.status === 'suspended';
  return {
    id: instance.id,
    status: instance.status,
    template: instance.template,
    plan: instance.plan,
    region: instance.region,
    domain: {
      strategy: instance.domain.strategy,
      hostname: instance.domain.hostname,
      cname_target: instance.domain.cnameTarget,
    },
    url: handedOver ? `https://${instance.domain.hostname}` : null,
    admin: handedOver ? instance.admin : null,
    error: instance.error,
    label: instance.label,
    metadata: instance.metadata,
    created_at: instance.createdAt,
    ready_at: handedOver ? instance.readyAt : null,
  };
}

const TITLES: Record<number, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Content',
};

/** RFC 9457 problem details, with `code` as the machine-readable extension member. */
function problem(reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://docs.instances.sandbox.test/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
    });
}
