import type { EsimProfileData } from '@handover/core';
import type { EsimProfile } from './esimAccessClient';

/** eSIM Access writes times as `2026-09-28T09:47:00+0000`; JavaScript reads `+00:00`. */
export function esimTime(value: string): Date | null {
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A profile as core keeps it, with its QR code image. */
export function profileData(profile: EsimProfile, qrPng: Buffer | null): EsimProfileData {
  return {
    iccid: profile.iccid,
    esimTranNo: profile.esimTranNo,
    providerOrderNo: profile.orderNo,
    packageCode: profile.packageCode,
    status: profile.status,
    smdpStatus: profile.smdpStatus,
    activationCode: profile.activationCode,
    totalVolumeBytes: profile.totalVolumeBytes,
    usedBytes: profile.usedBytes,
    expiresAt: esimTime(profile.expiresAt),
    qrPng,
  };
}
