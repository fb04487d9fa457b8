import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DownloadEntitlement, DownloadLog, type EntitledFile } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors';
import type { FileStorage } from './fileStorage';

/** What signs and checks download links, and where they point. */
export interface DownloadLinkSettings {
  /** At least 32 characters (DOWNLOAD_LINK_SECRET); rotating it ends the links already given. */
  secret: string;
  /** The server's public address: links are `<publicUrl>/downloads/<token>`. */
  publicUrl: string;
}

const tokenPayload = z.object({
  /** The entitlement, the file, the customer, and when the link stops working (Unix seconds). */
  e: z.uuid(),
  f: z.string().min(1),
  u: z.uuid(),
  x: z.number().int(),
});
type TokenPayload = z.output<typeof tokenPayload>;

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`download.${body}`).digest();

function signToken(payload: TokenPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

function readToken(token: string, secret: string): TokenPayload | null {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = tokenPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Why an entitlement cannot be downloaded from now, in the customer's words; null when it can. */
function entitlementProblem(entitlement: DownloadEntitlement, now: Date): { reason: string; message: string } | null {
  if (entitlement.status === 'revoked') {
    return { reason: 'revoked', message: 'These downloads were withdrawn because the order was refunded.' };
  }
  if (entitlement.status === 'suspended') {
    return {
      reason: 'suspended',
      message: 'These downloads are suspended while the subscription is unpaid; they come back once it is paid.',
    };
  }
  if (entitlement.expiresAt && entitlement.expiresAt <= now) {
    return {
      reason: 'entitlement_expired',
      message: `These downloads were available until ${entitlement.expiresAt.toISOString().slice(0, 10)}.`,
    };
  }
  return null;
}

async function downloadsOf(em: EntityManager, entitlementId: string, fileKey: string): Promise<number> {
  return em.count(DownloadLog, { entitlement: entitlementId, fileKey, outcome: 'served' });
}

/**
 * A link to one of the customer's files, valid for the product's link lifetime (seed 003
 * "expiring signed links"). Another customer's download is answered as a missing one.
 */
export async function createDownloadLink(
  em: EntityManager,
  settings: DownloadLinkSettings,
  { userId, entitlementId, fileKey, now }: { userId: string; entitlementId: string; fileKey: string; now: Date },
): Promise<{ url: string; expiresAt: Date }> {
  const entitlement = await em.findOne(DownloadEntitlement, { id: entitlementId, user: userId });
  const file = entitlement?.files.find((f) => f.key === fileKey);
  if (!entitlement || !file) throw new NotFoundError('No such download in your account.');
  const problem = entitlementProblem(entitlement, now);
  if (problem) throw new ConflictError(problem.message);
  if (entitlement.maxDownloads !== null && entitlement.maxDownloads !== undefined) {
    const used = await downloadsOf(em, entitlement.id, fileKey);
    if (used >= entitlement.maxDownloads) {
      throw new ConflictError(
        `You have downloaded ${file.name} ${used} times, the most this product allows. Contact us if you need it again.`,
      );
    }
  }
  const expiresAt = new Date(now.getTime() + entitlement.linkTtlMinutes * 60_000);
  const token = signToken(
    { e: entitlement.id, f: fileKey, u: userId, x: Math.floor(expiresAt.getTime() / 1000) },
    settings.secret,
  );
  return { url: `${settings.publicUrl.replace(/\/$/, '')}/downloads/${token}`, expiresAt };
}

export type DownloadOutcome =
  | { ok: true; file: EntitledFile; size: number; stream: Readable }
  | { ok: false; status: 403 | 404 | 410 | 429; reason: string; message: string };

/**
 * Serves a download link (`GET /downloads/<token>`), logging every attempt, served or refused:
 * the signature, the link's expiry, the entitlement's state and download limit, then the file.
 */
export async function openDownload(
  em: EntityManager,
  storage: FileStorage,
  settings: Pick<DownloadLinkSettings, 'secret'>,
  { token, now, ip, userAgent }: { token: string; now: Date; ip: string | null; userAgent: string | null },
): Promise<DownloadOutcome> {
  const payload = readToken(token, settings.secret);
  const log = async (
    outcome: 'served' | 'refused',
    details: { entitlementId?: string; fileKey?: string; reason?: string; bytes?: number },
  ) => {
    em.create(DownloadLog, {
      entitlement: details.entitlementId ?? null,
      fileKey: details.fileKey ?? null,
      outcome,
      reason: details.reason ?? null,
      bytes: details.bytes ?? null,
      ip: ip?.slice(0, 64) ?? null,
      userAgent: userAgent?.slice(0, 500) ?? null,
      createdAt: now,
    });
    await em.flush();
  };
  const refuse = async (
    status: 403 | 404 | 410 | 429,
    reason: string,
    message: string,
    details: { entitlementId?: string; fileKey?: string } = {},
  ): Promise<DownloadOutcome> => {
    await log('refused', { ...details, reason });
    return { ok: false, status, reason, message };
  };

  if (!payload)
    return refuse(
      403,
      'signature_invalid',
      'This download link is not one we made. Ask for a new one on your Products page.',
    );
  const details = { entitlementId: payload.e, fileKey: payload.f };
  const entitlement = await em.findOne(DownloadEntitlement, { id: payload.e });
  if (!entitlement || entitlement.user.id !== payload.u) {
    return refuse(404, 'not_found', 'There is no such download.', entitlement ? details : {});
  }
  if (payload.x * 1000 <= now.getTime()) {
    return refuse(
      410,
      'link_expired',
      'This download link has expired. Ask for a new one on your Products page.',
      details,
    );
  }
  const problem = entitlementProblem(entitlement, now);
  if (problem) return refuse(403, problem.reason, problem.message, details);
  const file = entitlement.files.find((f) => f.key === payload.f);
  if (!file) return refuse(404, 'not_found', 'This product no longer has that file.', details);
  if (entitlement.maxDownloads !== null && entitlement.maxDownloads !== undefined) {
    if ((await downloadsOf(em, entitlement.id, file.key)) >= entitlement.maxDownloads) {
      return refuse(
        429,
        'download_limit_reached',
        `${file.name} was downloaded as many times as this product allows.`,
        details,
      );
    }
  }
  const stored = await storage.stat(file.key);
  if (!stored)
    return refuse(404, 'file_missing', 'This file is not available right now; our team has been told.', details);
  const stream = await storage.open(file.key);
  await log('served', { ...details, bytes: stored.size });
  return { ok: true, file, size: stored.size, stream };
}
