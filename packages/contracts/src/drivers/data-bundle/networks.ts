import type { CountryCode } from 'libphonenumber-js';

/**
 * The mobile networks whose data bundles can be sold (seed 002 sells AT-iShare; MTN and Telecel
 * are modelled the same way). A network is reached through a reseller; a product names its
 * network in its configuration, and only networks with a configured reseller can be sold.
 */
export interface DataNetwork {
  /** As the seed spells it, and as orders and logs record it (`AT-iShare`). */
  id: string;
  /** The operator whose subscribers receive it, for messages ("not an AirtelTigo number"). */
  operator: string;
  country: CountryCode;
  /** National prefixes of the operator's mobile numbers, with the leading 0 (`027`). */
  prefixes: readonly string[];
}

export const DATA_NETWORKS = [
  // AirtelTigo's shared-bundle product: Airtel's 026/056 and Tigo's 027/057.
  { id: 'AT-iShare', operator: 'AirtelTigo', country: 'GH', prefixes: ['026', '027', '056', '057'] },
  { id: 'MTN', operator: 'MTN', country: 'GH', prefixes: ['024', '025', '053', '054', '055', '059'] },
  // Formerly Vodafone Ghana.
  { id: 'Telecel', operator: 'Telecel', country: 'GH', prefixes: ['020', '050'] },
] as const satisfies readonly DataNetwork[];

export type DataNetworkId = (typeof DATA_NETWORKS)[number]['id'];

export const DATA_NETWORK_IDS = DATA_NETWORKS.map((network) => network.id) as [DataNetworkId, ...DataNetworkId[]];

export function dataNetwork(id: DataNetworkId): DataNetwork {
  const found = DATA_NETWORKS.find((network) => network.id === id);
  if (!found) throw new Error(`Unknown data network ${id}`);
  return found;
}
