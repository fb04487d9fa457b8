import type { ProductInput } from '@handover/contracts';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../activity/activity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { DriverRegistry } from '../fulfillment/registry';
import { saveProduct } from './saveProduct';

export interface ProductImportReport {
  dryRun: boolean;
  /** Whether the products were saved: never on a dry run, never when one was refused. */
  saved: boolean;
  created: string[];
  updated: string[];
  /** Each refused product, by its place in the file (from 0) and its slug when it has one. */
  errors: { index: number; slug: string | null; message: string; fieldErrors: Record<string, string[]> }[];
}

/** Rolls the import back once every product was checked. */
class DryRunDone extends Error {}

/**
 * Creates or updates products by slug, all or nothing, each checked as the product form is
 * (the shared schema, then the driver's config schema). A dry run checks and reports what
 * would change, writing nothing.
 */
export async function importProducts(
  em: EntityManager,
  registry: DriverRegistry,
  products: readonly unknown[],
  actor: Actor,
  { dryRun }: { dryRun: boolean },
): Promise<ProductImportReport> {
  const report: ProductImportReport = { dryRun, saved: false, created: [], updated: [], errors: [] };
  try {
    await em.transactional(async (tem) => {
      for (const [index, item] of products.entries()) {
        const slug = slugOf(item);
        try {
          const existing = slug ? await tem.findOne(Product, { slug }) : null;
          await saveProduct(tem, registry, item as ProductInput, actor, existing?.id);
          (existing ? report.updated : report.created).push(slug ?? '');
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError)) {
            throw error;
          }
          report.errors.push({
            index,
            slug,
            message: error.message,
            fieldErrors: error instanceof ValidationError ? error.fieldErrors : {},
          });
        }
      }
      if (dryRun || report.errors.length > 0) throw new DryRunDone();
    });
    report.saved = true;
  } catch (error) {
    if (!(error instanceof DryRunDone)) throw error;
  }
  return report;
}

function slugOf(item: unknown): string | null {
  const slug = (item as { slug?: unknown } | null)?.slug;
  return typeof slug === 'string' ? slug.trim() : null;
}
