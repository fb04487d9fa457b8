import { type bundlePurchaseSchema, checkBundlePhone } from '@handover/contracts/drivers/data-bundle';
import type { z } from 'zod';
import type { CheckoutDeps, CheckoutStarted } from '../checkout/settings';
import { startCheckout } from '../checkout/startCheckout';
import { NotFoundError, ValidationError } from '../errors';
import { findBundlePackage } from './packages';
import { claimBundlePurchase } from './purchaseGuard';

export type BundlePurchase = z.output<typeof bundlePurchaseSchema>;

export type BundlePurchaseResult =
  | ({ status: 'started' } & CheckoutStarted)
  | {
      /** The same package for the same number was bought within the window: ask before buying again. */
      status: 'confirm_repeat';
      message: string;
      previous: { startedAt: Date; orderCode: string | null };
    };

/**
 * Seed 002's purchase from the packages page: the number checked for the package's network,
 * then checkout with the package's network and size as the line's input, paid from the wallet
 * (the debit, order, records and jobs commit together) or through a gateway the product takes.
 * A repeat of the same purchase within the window is not bought until the customer confirms it.
 */
export async function buyDataBundle(
  deps: CheckoutDeps,
  input: BundlePurchase,
  customer: { userId: string; email: string; phone: string | null },
): Promise<BundlePurchaseResult> {
  const found = await findBundlePackage(deps.em.fork(), deps.registry, input.productId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new ValidationError(error.message, { productId: [error.message] });
    throw error;
  });
  const pkg = found.package;
  const phone = checkBundlePhone(pkg.network, input.phoneNumber);
  if (!phone.ok) throw new ValidationError(phone.message, { phoneNumber: [phone.message] });

  const now = deps.clock.now();
  const claim = await claimBundlePurchase(deps.em, {
    userId: customer.userId,
    productId: pkg.productId,
    phoneNumber: phone.e164,
    now,
    confirmRepeat: input.confirmRepeat,
  });
  if (!claim.ok) {
    const minutes = Math.max(1, Math.round((now.getTime() - claim.startedAt.getTime()) / 60_000));
    const ago = `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
    const what = `${pkg.size} of ${pkg.network} data for ${phone.national}`;
    return {
      status: 'confirm_repeat',
      // Through a gateway the order exists only once the payment is confirmed.
      message: claim.orderCode
        ? `You bought ${what} ${ago} (order ${claim.orderCode}). Buy it again?`
        : `You started paying for ${what} ${ago}; if that payment went through, it is on its way. Buy it again?`,
      previous: { startedAt: claim.startedAt, orderCode: claim.orderCode },
    };
  }
  try {
    const started = await startCheckout(
      deps,
      {
        email: customer.email,
        phone: customer.phone,
        items: [
          {
            productId: pkg.productId,
            quantity: 1,
            input: { network: pkg.network, sizeGb: pkg.sizeGb, phoneNumber: phone.e164 },
          },
        ],
        gateway: input.gateway,
      },
      { userId: customer.userId },
    );
    await claim.placed(started.orderCode);
    return { status: 'started', ...started };
  } catch (error) {
    await claim.release();
    throw error instanceof ValidationError ? new ValidationError(error.message, formFields(error.fieldErrors)) : error;
  }
}

/** Checkout's field errors (`items.0.input.phoneNumber`) as the packages form names its fields. */
function formFields(errors: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(errors).map(([key, messages]) => [key.replace(/^items\.0\.(input\.)?/, ''), messages]),
  );
}
