import { ageOn, type CustomerProfile, PROFILE_FIELD_LABELS, type ProfileField } from '@handover/contracts';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { RouterOutputs } from '../trpc';

type Product = RouterOutputs['catalog']['list'][number];
type Service = RouterOutputs['catalog']['myServices'][number];

/**
 * Seed 004's rules before the order form: a service the customer already has is managed, not
 * bought again; a product tied to an account needs the customer signed in, with the profile
 * fields (and age) it asks for. Otherwise the form itself.
 */
export function RuleGate({
  product,
  signedIn,
  profile,
  services,
  children,
}: {
  product: Product;
  signedIn: boolean;
  profile: CustomerProfile | null;
  services: Service[];
  children: ReactNode;
}) {
  const { rules } = product;
  const existing = rules.onePerAccount
    ? services.find((service) => service.serviceKind === rules.serviceKind)
    : undefined;
  const tied =
    rules.onePerAccount ||
    rules.billingAddressIsServiceAddress ||
    rules.requiredProfile.length > 0 ||
    rules.minimumAge !== null;
  if (!tied) return <>{children}</>;

  const page = (body: ReactNode) => (
    <section className="narrow order-form">
      <p>
        <Link to="/">← All products</Link>
      </p>
      <h1>Order {product.name}</h1>
      {body}
    </section>
  );
  if (existing) {
    return page(
      <div className="notice">
        <p>
          You already have {product.name} (order {existing.orderCode}): one per account.
        </p>
        <Link className="button" to={existing.manageUrl}>
          Manage / Upgrade
        </Link>
      </div>,
    );
  }
  if (!signedIn) {
    return page(
      <div className="notice">
        <p>{product.name} is tied to your account: sign in or create one to order it.</p>
        <Link className="button" to={`/sign-in?next=${encodeURIComponent(`/order/${product.slug}`)}`}>
          Sign in
        </Link>
      </div>,
    );
  }
  const needed = new Set<ProfileField>(rules.requiredProfile);
  if (rules.minimumAge) needed.add('dateOfBirth');
  const missing = [...needed].filter((field) => profile?.[field] == null);
  const tooYoung =
    rules.minimumAge && profile?.dateOfBirth
      ? ageOn(profile.dateOfBirth, new Date().toISOString().slice(0, 10)) < rules.minimumAge
      : false;
  if (tooYoung) {
    return page(
      <div className="notice notice-error" role="alert">
        <p>
          You must be {rules.minimumAge} or older to order {product.name}.
        </p>
      </div>,
    );
  }
  if (missing.length > 0) {
    return page(
      <div className="notice">
        <p>
          To order {product.name}, add your {missing.map((field) => PROFILE_FIELD_LABELS[field]).join(' and ')} to your
          account first.
        </p>
        <Link className="button" to={`/account?next=${encodeURIComponent(`/order/${product.slug}`)}`}>
          Complete your profile
        </Link>
      </div>,
    );
  }
  return <>{children}</>;
}
