import { createHash } from 'node:crypto';
import { randomId } from '../shared/ids';

export type InstanceStatus = 'provisioning' | 'ready' | 'suspended' | 'failed';
export type DomainRequest =
  | { strategy: 'subdomain'; subdomain: string }
  | { strategy: 'custom_domain'; hostname: string };

/** The zone the provider gives subdomains in, and custom domains point their CNAME at. */
export const INSTANCE_ZONE = 'instances.sandbox.test';

export interface NewInstance {
  template: string;
  plan: string;
  region: string;
  domain: DomainRequest;
  label?: string;
  admin_email?: string;
  metadata?: Record<string, string>;
}

export interface Instance {
  id: string;
  status: InstanceStatus;
  template: string;
  plan: string;
  region: string;
  domain: { strategy: DomainRequest['strategy']; hostname: string; cnameTarget: string | null };
  label: string | null;
  metadata: Record<string, string>;
  /** Made at creation, handed out once the instance is ready. */
  admin: { username: string; password: string };
  error: { code: string; message: string } | null;
  createdAt: string;
  /** When provisioning finishes, unless the control API finishes or fails it first. */
  readyAt: string;
  deleted: boolean;
}

export type CreateResult =
  | { kind: 'created' | 'replayed'; instance: Instance }
  | { kind: 'key_reused' | 'domain_taken' | 'deleted' };
export type Change = { instance: Instance } | { refusal: { status: number; code: string; detail: string } };

/**
 * The provider's instances. Provisioning takes `readyAfterMs`; the status moves on when it is
 * read, so no timer outlives a test.
 */
export class InstanceStore {
  private readonly instances = new Map<string, Instance>();
  private readonly byKey = new Map<string, { fingerprint: string; id: string }>();

  constructor(public readyAfterMs: number) {}

  create(request: NewInstance, idempotencyKey: string | undefined, now: Date): CreateResult {
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const earlier = idempotencyKey ? this.byKey.get(idempotencyKey) : undefined;
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) return { kind: 'key_reused' };
      const instance = this.read(earlier.id, now);
      return instance && !instance.deleted ? { kind: 'replayed', instance } : { kind: 'deleted' };
    }
    const id = `ins_${randomId(16, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const hostname =
      request.domain.strategy === 'subdomain'
        ? `${request.domain.subdomain}.${INSTANCE_ZONE}`
        : request.domain.hostname;
    if (this.live().some((other) => other.domain.hostname === hostname)) return { kind: 'domain_taken' };
    const instance: Instance = {
      id,
      status: 'provisioning',
      template: request.template,
      plan: request.plan,
      region: request.region,
      domain: {
        strategy: request.domain.strategy,
        hostname,
        // A host name cannot hold the id's underscore: the target is its DNS-safe spelling.
        cnameTarget: request.domain.strategy === 'custom_domain' ? `${id.replace(/_/g, '-')}.${INSTANCE_ZONE}` : null,
      },
      label: request.label ?? null,
      metadata: request.metadata ?? {},
      admin: { username: request.admin_email ?? 'admin', password: randomId(20) },
      error: null,
      createdAt: now.toISOString(),
      readyAt: new Date(now.getTime() + this.readyAfterMs).toISOString(),
      deleted: false,
    };
    this.instances.set(id, instance);
    if (idempotencyKey) this.byKey.set(idempotencyKey, { fingerprint, id });
    return { kind: 'created', instance };
  }

  /** The instance as it is at `now` (deleted ones too, for the idempotency replay). */
  read(id: string, now: Date): Instance | undefined {
    const instance = this.instances.get(id);
    if (instance?.status === 'provisioning' && now.getTime() >= Date.parse(instance.readyAt)) {
      instance.status = 'ready';
    }
    return instance;
  }

  get(id: string, now: Date): Instance | undefined {
    const instance = this.read(id, now);
    return instance?.deleted ? undefined : instance;
  }

  /** Only a ready instance can be suspended; suspending twice is no error. */
  suspend(instance: Instance): Change {
    if (instance.status === 'suspended') return { instance };
    if (instance.status !== 'ready') return notNow(instance, 'suspended');
    instance.status = 'suspended';
    return { instance };
  }

  /** A suspended instance is ready again; resuming a ready one is no error. */
  resume(instance: Instance): Change {
    if (instance.status === 'ready') return { instance };
    if (instance.status !== 'suspended') return notNow(instance, 'resumed');
    instance.status = 'ready';
    return { instance };
  }

  delete(instance: Instance): void {
    instance.deleted = true;
  }

  /** Control API: provisioning finishes now. */
  finish(instance: Instance, now: Date): Change {
    if (instance.status !== 'provisioning') return notNow(instance, 'finished');
    instance.readyAt = now.toISOString();
    instance.status = 'ready';
    return { instance };
  }

  /** Control API: provisioning fails, as when the template's installer breaks. */
  fail(instance: Instance, error: { code: string; message: string }): Change {
    if (instance.status !== 'provisioning') return notNow(instance, 'failed');
    instance.status = 'failed';
    instance.error = error;
    return { instance };
  }

  list(now: Date): Instance[] {
    return this.live().map((instance) => this.read(instance.id, now) ?? instance);
  }

  reset(): void {
    this.instances.clear();
    this.byKey.clear();
  }

  private live(): Instance[] {
    return [...this.instances.values()].filter((instance) => !instance.deleted);
  }
}

function notNow(instance: Instance, verb: string): Change {
  return {
    refusal: {
      status: 409,
      code: 'invalid_state',
      detail: `Instance ${instance.id} is ${instance.status} and cannot be ${verb}`,
    },
  };
}
