import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';

/**
 * Testkit: a small provisioning API of our own (docs/testkit.md), used to exercise the
 * fulfillment engine and its benchmark: idempotent creation, polling until ready,
 * activation, suspension and deletion.
 */
interface Resource {
  id: string;
  label: string;
  status: 'pending' | 'ready' | 'active' | 'suspended' | 'deleted';
  polls: number;
  readyAfterPolls: number;
  idempotencyKey: string;
  fingerprint: string;
}

const createBody = z.object({
  label: z.string().min(1).max(200),
  reject: z.boolean().optional(),
  readyAfterPolls: z.number().int().min(0).max(1000).optional(),
});

export function testkitEmulator(): Emulator {
  const resources = new Map<string, Resource>();
  const byKey = new Map<string, Resource>();
  const creations = new Map<string, number>();
  const activations = new Map<string, number>();

  const view = (r: Resource) => ({ id: r.id, label: r.label, status: r.status });

  return {
    name: 'testkit',
    prefix: '/testkit',
    idempotencyHeader: 'Idempotency-Key',
    reset() {
      resources.clear();
      byKey.clear();
      creations.clear();
      activations.clear();
    },
    register(app: FastifyInstance) {
      app.post('/v1/resources', async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (typeof key !== 'string' || key.length === 0) {
          return reply.code(400).send({ message: 'Idempotency-Key header is required' });
        }
        const body = createBody.safeParse(request.body);
        if (!body.success) return reply.code(422).send({ message: z.prettifyError(body.error) });
        if (body.data.reject) return reply.code(422).send({ message: `Resource "${body.data.label}" was refused` });
        const fingerprint = JSON.stringify(body.data);
        const existing = byKey.get(key);
        if (existing) {
          if (existing.fingerprint !== fingerprint) {
            return reply.code(409).send({ message: 'Idempotency-Key reused with a different request' });
          }
          return reply.code(200).send(view(existing));
        }
        const resource: Resource = {
          id: `res_${randomUUID()}`,
          label: body.data.label,
          status: (body.data.readyAfterPolls ?? 0) === 0 ? 'ready' : 'pending',
          polls: 0,
          readyAfterPolls: body.data.readyAfterPolls ?? 0,
          idempotencyKey: key,
          fingerprint,
        };
        resources.set(resource.id, resource);
        byKey.set(key, resource);
        creations.set(key, (creations.get(key) ?? 0) + 1);
        return reply.code(201).send(view(resource));
      });

      app.get('/v1/resources/:id', async (request, reply) => {
        const resource = resources.get((request.params as { id: string }).id);
        if (!resource) return reply.code(404).send({ message: 'No such resource' });
        resource.polls += 1;
        if (resource.status === 'pending' && resource.polls >= resource.readyAfterPolls) resource.status = 'ready';
        return view(resource);
      });

      app.post('/v1/resources/:id/activate', async (request, reply) => {
        const resource = resources.get((request.params as { id: string }).id);
        if (!resource || resource.status === 'deleted') return reply.code(404).send({ message: 'No such resource' });
        if (resource.status === 'pending') return reply.code(409).send({ message: 'Resource is not ready yet' });
        if (resource.status !== 'active') {
          resource.status = 'active';
          activations.set(resource.id, (activations.get(resource.id) ?? 0) + 1);
        }
        return view(resource);
      });

      app.post('/v1/resources/:id/suspend', async (request, reply) => {
        const resource = resources.get((request.params as { id: string }).id);
        if (!resource || resource.status === 'deleted') return reply.code(404).send({ message: 'No such resource' });
        if (resource.status !== 'active' && resource.status !== 'suspended') {
          return reply.code(409).send({ message: 'Only an active resource can be suspended' });
        }
        resource.status = 'suspended';
        return view(resource);
      });

      app.delete('/v1/resources/:id', async (request, reply) => {
        const resource = resources.get((request.params as { id: string }).id);
        if (!resource) return reply.code(404).send({ message: 'No such resource' });
        resource.status = 'deleted';
        return view(resource);
      });

      // For tests: what was really created, per idempotency key, and what is left.
      app.get('/_sandbox/stats', async () => ({
        creations: Object.fromEntries(creations),
        activations: Object.fromEntries(activations),
        resources: [...resources.values()].map((r) => ({ ...view(r), idempotencyKey: r.idempotencyKey })),
      }));
    },
  };
}
