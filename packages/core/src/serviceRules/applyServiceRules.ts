import {
  type Address,
  ageOn,
  type CheckoutInput,
  PROFILE_FIELD_LABELS,
  type ProfileField,
  readServiceRules,
  type ServiceRules,
} from '@handover/contracts';
import { type PendingOrderLine, type Product, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lineActivation } from '../activation/plan';
import type { PricedCart } from '../checkout/cart';
import { AuthenticationError, ConflictError, ValidationError } from '../errors';
import { findExistingServices, manageServicePath } from './existingServices';

/** The cart after seed 004's rules: its lines with their snapshots, grouped into the orders they become. */
export interface RuledCart {
  /** One group per order: each service on its own, everything else together. */
  groups: PendingOrderLine[][];
}

/**
 * Seed 004's business rules, checked where the order is placed (checkout), before any payment:
 * the profile fields and age a product requires; at most one service of a kind per account (a
 * second is refused with 409 and a link to the one they have); billing address = service address,
 * taken from the profile, or captured from the checkout into the profile the first time; and one
 * service per order, so a cart with two services becomes two orders. Each line keeps a snapshot of
 * its activation and its address. Products without rules pass untouched. Writes to the profile
 * go with `em`'s next flush (checkout's own).
 */
export async function applyServiceRules(
  em: EntityManager,
  cart: PricedCart,
  input: Pick<CheckoutInput, 'items' | 'billingAddress'>,
  customer: { userId: string } | null,
  now: Date,
): Promise<RuledCart> {
  const ruled = cart.lines.map((line, index) => ({
    line,
    index,
    product: cart.products[index] as Product,
    rules: readServiceRules(cart.products[index]?.serviceRules),
  }));
  const bound = ruled.filter(({ rules }) => needsAccount(rules));
  let user: User | null = null;
  if (bound.length > 0) {
    const names = [...new Set(bound.map(({ product }) => product.name))].join(', ');
    if (!customer) throw new AuthenticationError(`Sign in to order ${names}: it is tied to your account.`);
    user = await em.findOneOrFail(User, customer.userId);
  }

  const errors: Record<string, string[]> = {};
  const today = now.toISOString().slice(0, 10);
  for (const { product, rules } of bound) {
    const needed = new Set<ProfileField>(rules.requiredProfile);
    if (rules.minimumAge) needed.add('dateOfBirth');
    for (const field of needed) {
      if (user && profileValue(user, field) == null) {
        errors[`profile.${field}`] = [
          `Add your ${PROFILE_FIELD_LABELS[field]} to your account to order ${product.name}`,
        ];
      }
    }
    if (rules.minimumAge && user?.dateOfBirth && ageOn(user.dateOfBirth, today) < rules.minimumAge) {
      errors['profile.dateOfBirth'] = [`You must be ${rules.minimumAge} or older to order ${product.name}`];
    }
  }

  let address: Address | null = user?.address ?? null;
  if (user && bound.some(({ rules }) => rules.billingAddressIsServiceAddress)) {
    if (!address && !input.billingAddress) {
      errors['billingAddress.line1'] = ['Enter the address of the service: it is also your billing address'];
    } else if (!address && input.billingAddress) {
      // Seed 004: captured once, at the first such order; later orders only check it.
      address = input.billingAddress;
      user.address = address;
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError('Your account needs a few details first.', errors);

  const single = bound.filter(({ rules }) => rules.onePerAccount && rules.serviceKind);
  if (user && single.length > 0) {
    const units = new Map<string, number>();
    for (const { line, rules } of single) {
      units.set(rules.serviceKind as string, (units.get(rules.serviceKind as string) ?? 0) + line.quantity);
    }
    for (const { product, rules, index } of single) {
      if ((units.get(rules.serviceKind as string) ?? 0) > 1) {
        throw new ValidationError(`Only one ${product.name} per account.`, {
          [`items.${index}.quantity`]: [`You can have one ${product.name}; order one.`],
        });
      }
    }
    const [existing] = await findExistingServices(em, user.id, [...units.keys()]);
    if (existing) {
      const product = single.find(({ rules }) => rules.serviceKind === existing.serviceKind)?.product;
      throw new ConflictError(
        `You already have ${product?.name ?? 'this service'} (order ${existing.orderCode}): one per account. Manage or upgrade it instead.`,
        { manage: manageServicePath(existing.orderCode) },
      );
    }
  }

  const services: PendingOrderLine[][] = [];
  const rest: PendingOrderLine[] = [];
  for (const { line, index, product, rules } of ruled) {
    const snapshot: PendingOrderLine = {
      ...line,
      activation: lineActivation(product, input.items[index]?.activation, index, now),
      ...(needsAccount(rules) || rules.serviceKind
        ? {
            service: {
              kind: rules.serviceKind,
              onePerAccount: rules.onePerAccount,
              billingAddress: rules.billingAddressIsServiceAddress ? address : null,
            },
          }
        : {}),
    };
    // Seed 004: one service per order (and a scheduled activation is one service's): one order per unit.
    if (rules.oneServicePerOrder || product.activation === 'scheduled') {
      for (let unit = 0; unit < line.quantity; unit++) services.push([{ ...snapshot, quantity: 1 }]);
    } else rest.push(snapshot);
  }
  return { groups: [...services, ...(rest.length > 0 ? [rest] : [])] };
}

/** Whether a product's rules tie it to an account (a profile, an address, one per account). */
function needsAccount(rules: ServiceRules): boolean {
  return (
    rules.onePerAccount ||
    rules.billingAddressIsServiceAddress ||
    rules.requiredProfile.length > 0 ||
    rules.minimumAge !== null
  );
}

function profileValue(user: User, field: ProfileField): unknown {
  switch (field) {
    case 'company':
      return user.company;
    case 'customerNumber':
      return user.customerNumber;
    case 'address':
      return user.address;
    case 'dateOfBirth':
      return user.dateOfBirth;
  }
}
