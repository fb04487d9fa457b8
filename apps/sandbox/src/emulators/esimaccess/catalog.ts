/** A data package as POST /api/v1/open/package/list shows it (prices in 1/10,000 USD, volume in bytes). */
export interface EsimPackage {
  packageCode: string;
  slug: string;
  name: string;
  price: number;
  currencyCode: 'USD';
  volume: number;
  duration: number;
  durationUnit: 'DAY';
  location: string;
  speed: string;
  /** BASE packages make a profile; TOPUP packages add data to one of the same location. */
  type: 'BASE' | 'TOPUP';
  /** 1: no top-ups, 2: top-ups allowed (the documentation's supportTopUpType). */
  supportTopUpType: 1 | 2;
}

const GB = 1024 ** 3;

const pkg = (
  packageCode: string,
  slug: string,
  name: string,
  price: number,
  gb: number,
  duration: number,
  location: string,
  type: EsimPackage['type'],
): EsimPackage => ({
  packageCode,
  slug,
  name,
  price,
  currencyCode: 'USD',
  volume: gb * GB,
  duration,
  durationUnit: 'DAY',
  location,
  speed: '4G/5G',
  type,
  supportTopUpType: 2,
});

/** The sandbox's catalog: a few base plans and the top-ups that fit them. */
export const PACKAGES: EsimPackage[] = [
  pkg('JC016', 'JP_1_7', 'Japan 1GB 7Days', 18_000, 1, 7, 'JP', 'BASE'),
  pkg('JC017', 'JP_5_30', 'Japan 5GB 30Days', 65_000, 5, 30, 'JP', 'BASE'),
  pkg('UC010', 'US_3_15', 'United States 3GB 15Days', 45_000, 3, 15, 'US', 'BASE'),
  pkg('TOPUP_JC016', 'JP_1_7_TOPUP', 'Japan 1GB 7Days top-up', 18_000, 1, 7, 'JP', 'TOPUP'),
  pkg('TOPUP_JC017', 'JP_5_30_TOPUP', 'Japan 5GB 30Days top-up', 65_000, 5, 30, 'JP', 'TOPUP'),
  pkg('TOPUP_UC010', 'US_3_15_TOPUP', 'United States 3GB 15Days top-up', 45_000, 3, 15, 'US', 'TOPUP'),
];

export function findPackage(codeOrSlug: string | undefined): EsimPackage | undefined {
  return PACKAGES.find((p) => p.packageCode === codeOrSlug || p.slug === codeOrSlug);
}
