import { License, LicenseActivation } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordActivity } from '../activity/activity';
import { hashLicenseKey } from './licenseKeys';

/**
 * Why the activation API refused a call: a stable code for the vendor's software, the HTTP
 * status, and a message its user can act on.
 */
export class LicenseRefusedError extends Error {
  override readonly name = 'LicenseRefusedError';
  constructor(
    readonly code:
      | 'license_not_found'
      | 'license_revoked'
      | 'license_suspended'
      | 'license_expired'
      | 'activation_limit_reached'
      | 'activation_not_found',
    readonly status: 403 | 404 | 409 | 410,
    message: string,
  ) {
    super(message);
  }
}

const licenseKey = z.string().trim().min(20, 'is not a licence key').max(4000, 'is not a licence key');
const instanceId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** The activation API's requests (docs/marketplace-products.md), as the vendor's software sends them. */
export const activateLicenseSchema = z.object({
  license_key: licenseKey,
  instance_id: instanceId,
  label: z.string().trim().max(200).default(''),
});
export const licenseInstanceSchema = z.object({ license_key: licenseKey, instance_id: instanceId });

export interface ActivationAnswer {
  status: 'active' | 'deactivated';
  instance_id: string;
  label: string;
  activated_at: string;
  license: {
    id: string;
    product: string;
    licensee: string;
    status: string;
    expires_at: string | null;
    activation_limit: number;
    activations_used: number;
  };
}

/** The licence behind a key, locked for the rest of the transaction; refused when it cannot be used. */
async function usableLicense(em: EntityManager, key: string, now: Date, forWhat: 'use' | 'deactivate') {
  const license = await em.findOne(License, { keyHash: hashLicenseKey(key) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!license) {
    throw new LicenseRefusedError(
      'license_not_found',
      404,
      'This licence key is not one we issued. Check it was copied whole.',
    );
  }
  if (forWhat === 'deactivate') return license;
  if (license.status === 'revoked') {
    throw new LicenseRefusedError(
      'license_revoked',
      403,
      'This licence was revoked (its order was refunded) and can no longer be activated.',
    );
  }
  if (license.status === 'suspended') {
    throw new LicenseRefusedError(
      'license_suspended',
      403,
      'This licence is suspended because its subscription is unpaid. It works again once the payment goes through.',
    );
  }
  if (license.expiresAt && license.expiresAt <= now) {
    throw new LicenseRefusedError(
      'license_expired',
      410,
      `This licence expired on ${license.expiresAt.toISOString().slice(0, 10)}.`,
    );
  }
  return license;
}

async function answer(em: EntityManager, license: License, activation: LicenseActivation): Promise<ActivationAnswer> {
  const used = await em.count(LicenseActivation, { license, status: 'active' });
  return {
    status: activation.status,
    instance_id: activation.instanceId,
    label: activation.label,
    activated_at: activation.activatedAt.toISOString(),
    license: {
      id: license.id,
      product: license.productCode,
      licensee: license.licensee,
      status: license.status,
      expires_at: license.expiresAt?.toISOString() ?? null,
      activation_limit: license.activationLimit,
      activations_used: used,
    },
  };
}

/**
 * Seed 003's activation limit: the vendor's software activates the licence on one machine. The
 * same machine again is no new activation (its software may ask at every start); a machine
 * beyond the limit is refused, naming the machines that hold it, until one is deactivated.
 */
export async function activateLicense(
  em: EntityManager,
  input: z.input<typeof activateLicenseSchema>,
  { now, ip }: { now: Date; ip?: string | null },
): Promise<ActivationAnswer> {
  const request = activateLicenseSchema.parse(input);
  return em.transactional(async (tem) => {
    const license = await usableLicense(tem, request.license_key, now, 'use');
    const existing = await tem.findOne(LicenseActivation, { license, instanceId: request.instance_id });
    if (existing?.status === 'active') {
      existing.lastSeenAt = now;
      existing.lastIp = ip ?? null;
      if (request.label) existing.label = request.label;
      await tem.flush();
      return answer(tem, license, existing);
    }
    const active = await tem.find(
      LicenseActivation,
      { license, status: 'active' },
      { orderBy: { activatedAt: 'asc' } },
    );
    if (active.length >= license.activationLimit) {
      const holders = active.map((a) => a.label || a.instanceId).join(', ');
      throw new LicenseRefusedError(
        'activation_limit_reached',
        409,
        `This licence is already active on ${active.length} of ${license.activationLimit} machines (${holders}). Deactivate one of them, in the software or on your Products page, then try again.`,
      );
    }
    const activation =
      existing ??
      tem.create(LicenseActivation, {
        license,
        instanceId: request.instance_id,
        activatedAt: now,
        lastSeenAt: now,
      });
    Object.assign(activation, {
      status: 'active',
      label: request.label || activation.label,
      activatedAt: now,
      deactivatedAt: null,
      lastSeenAt: now,
      lastIp: ip ?? null,
    });
    recordActivity(tem, {
      action: 'license.activated',
      subjectType: 'license',
      subjectId: license.id,
      actor: { type: 'api', id: request.instance_id.slice(0, 100) },
      properties: { instanceId: request.instance_id, label: request.label },
    });
    await tem.flush();
    return answer(tem, license, activation);
  });
}

/** Frees a machine's activation (the vendor's software uninstalled, or the customer moved it). */
export async function deactivateLicense(
  em: EntityManager,
  input: z.input<typeof licenseInstanceSchema>,
  { now }: { now: Date },
): Promise<ActivationAnswer> {
  const request = licenseInstanceSchema.parse(input);
  return em.transactional(async (tem) => {
    const license = await usableLicense(tem, request.license_key, now, 'deactivate');
    const activation = await tem.findOne(LicenseActivation, { license, instanceId: request.instance_id });
    if (!activation) {
      throw new LicenseRefusedError('activation_not_found', 404, 'This licence is not activated on that machine.');
    }
    if (activation.status === 'active') {
      Object.assign(activation, { status: 'deactivated', deactivatedAt: now });
      recordActivity(tem, {
        action: 'license.deactivated',
        subjectType: 'license',
        subjectId: license.id,
        actor: { type: 'api', id: request.instance_id.slice(0, 100) },
        properties: { instanceId: request.instance_id },
      });
      await tem.flush();
    }
    return answer(tem, license, activation);
  });
}

/** The vendor's software asks whether this machine may still run the licence (at start, say). */
export async function checkLicenseActivation(
  em: EntityManager,
  input: z.input<typeof licenseInstanceSchema>,
  { now }: { now: Date },
): Promise<ActivationAnswer> {
  const request = licenseInstanceSchema.parse(input);
  return em.transactional(async (tem) => {
    const license = await usableLicense(tem, request.license_key, now, 'use');
    const activation = await tem.findOne(LicenseActivation, { license, instanceId: request.instance_id });
    if (activation?.status !== 'active') {
      throw new LicenseRefusedError('activation_not_found', 404, 'This licence is not activated on that machine.');
    }
    activation.lastSeenAt = now;
    await tem.flush();
    return answer(tem, license, activation);
  });
}
