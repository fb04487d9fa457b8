/**
 * What AT-iShare sells and to whom: AirtelTigo numbers in Ghana, and a fixed list of bundle
 * sizes with the reseller's price for each (seed 002 orders carry `size` such as "1GB", "10GB").
 * The prices are the sandbox's own, in pesewas; no reseller publishes a rate card to copy.
 */
export const BUNDLE_PRICES_PESEWAS: ReadonlyMap<number, number> = new Map([
  [1, 450],
  [2, 900],
  [3, 1_300],
  [4, 1_750],
  [5, 2_150],
  [6, 2_600],
  [7, 3_000],
  [8, 3_450],
  [10, 4_200],
  [15, 6_300],
  [20, 8_300],
  [25, 10_300],
  [30, 12_300],
  [40, 16_200],
  [50, 20_000],
  [100, 39_000],
]);

/** AirtelTigo's mobile prefixes (026 and 056 from Airtel, 027 and 057 from Tigo). */
const AIRTELTIGO_PREFIXES = ['026', '056', '027', '057'];

/**
 * A Ghana number in its local ten-digit form (`0271234567`), from that form, `233271234567` or
 * `+233271234567`, spaces and dashes allowed; null for anything else.
 */
export function localGhanaNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  const match = /^(?:\+?233|0)([2-5]\d{8})$/.exec(digits);
  return match ? `0${match[1]}` : null;
}

/** Why a number cannot take an AT-iShare bundle, or null when it can. */
export function phoneNumberProblem(input: string): string | null {
  const local = localGhanaNumber(input);
  if (!local) return `${input} is not a Ghana mobile number`;
  if (!AIRTELTIGO_PREFIXES.includes(local.slice(0, 3))) return `${local} is not an AirtelTigo number`;
  return null;
}

/** Pesewas as the cedi amount the API shows (`995.5`). */
export function cedis(pesewas: number): number {
  return Math.round(pesewas) / 100;
}
