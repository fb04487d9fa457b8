import type { PaymentGatewayName } from '@handover/contracts';
import {
  DATA_BUNDLE_DRIVER,
  DATA_NETWORKS,
  type DataBundleConfig,
  type DataNetworkId,
  sizeLabel,
} from '@handover/contracts/drivers/data-bundle';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import type { DriverRegistry } from '../fulfillment/registry';

/** One package on the packages page: a data-bundle product on sale. */
export interface BundlePackage {
  productId: string;
  slug: string;
  name: string;
  network: DataNetworkId;
  sizeGb: number;
  /** `10GB`, as the seed writes sizes. */
  size: string;
  priceMinor: number;
  currency: string;
  enabledPaymentGateways: PaymentGatewayName[];
  defaultPaymentGateway: PaymentGatewayName;
}

export interface NetworkPackages {
  network: DataNetworkId;
  operator: string;
  /** National prefixes of the numbers it delivers to, for the form's hint. */
  prefixes: readonly string[];
  packages: BundlePackage[];
}

/**
 * The packages page: active data-bundle products whose network a reseller delivers here, grouped
 * by network in the networks' order and by size within each, with the ways to pay this server can
 * take now (`usableGateway`).
 */
export async function listBundlePackages(
  em: EntityManager,
  registry: DriverRegistry,
  usableGateway: (gateway: PaymentGatewayName) => boolean,
): Promise<NetworkPackages[]> {
  if (!registry.has(DATA_BUNDLE_DRIVER)) return [];
  const products = await em.find(Product, { fulfillmentDriver: DATA_BUNDLE_DRIVER, isActive: true });
  const packages = products.flatMap((product) => {
    const config = bundleConfigOf(registry, product);
    return config
      ? [
          {
            ...toPackage(product, config),
            enabledPaymentGateways: product.enabledPaymentGateways.filter(usableGateway),
          },
        ]
      : [];
  });
  return DATA_NETWORKS.map((network) => ({
    network: network.id,
    operator: network.operator,
    prefixes: network.prefixes,
    packages: packages
      .filter((p) => p.network === network.id)
      .sort((a, b) => a.sizeGb - b.sizeGb || a.priceMinor - b.priceMinor),
  })).filter((group) => group.packages.length > 0);
}

/** An active data-bundle product with its package, or NotFoundError. */
export async function findBundlePackage(
  em: EntityManager,
  registry: DriverRegistry,
  productId: string,
): Promise<{ product: Product; package: BundlePackage }> {
  const product = await em.findOne(Product, { id: productId, fulfillmentDriver: DATA_BUNDLE_DRIVER, isActive: true });
  const config = product && registry.has(DATA_BUNDLE_DRIVER) ? bundleConfigOf(registry, product) : null;
  if (!product || !config) throw new NotFoundError('This package is not on sale.');
  return { product, package: toPackage(product, config) };
}

/** The package a product sells, when its driver here can deliver it (a reseller for its network). */
function bundleConfigOf(registry: DriverRegistry, product: Product): DataBundleConfig | null {
  const parsed = registry.get(DATA_BUNDLE_DRIVER).configSchema.safeParse(product.fulfillmentConfig);
  return parsed.success ? (parsed.data as DataBundleConfig) : null;
}

function toPackage(product: Product, config: DataBundleConfig): BundlePackage {
  return {
    productId: product.id,
    slug: product.slug,
    name: product.name,
    network: config.network,
    sizeGb: config.sizeGb,
    size: sizeLabel(config.sizeGb),
    priceMinor: product.priceMinor,
    currency: product.currency,
    enabledPaymentGateways: product.enabledPaymentGateways,
    defaultPaymentGateway: product.defaultPaymentGateway,
  };
}
