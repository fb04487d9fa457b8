import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { useTRPC } from '../trpc';

/**
 * Seed 004 step 2: a product billed by the billing system is ordered once a payment method is on
 * file there. "Add a payment method" opens the billing system's own page through a single-use
 * sign-in link (WHMCS's SSO) in a new tab; coming back to this tab checks again.
 */
export function PaymentMethodGate({
  productName,
  slug,
  signedIn,
  children,
}: {
  productName: string;
  slug: string;
  signedIn: boolean;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const summary = useQuery({
    ...trpc.billing.paymentMethods.queryOptions(),
    enabled: signedIn,
    refetchOnWindowFocus: true,
  });
  const link = useMutation(trpc.billing.addPaymentMethodLink.mutationOptions());

  const page = (body: ReactNode) => (
    <section className="narrow order-form">
      <p>
        <Link to="/">← All products</Link>
      </p>
      <h1>Order {productName}</h1>
      {body}
    </section>
  );
  if (!signedIn) {
    return page(
      <div className="notice">
        <p>{productName} is billed to your account: sign in or create one to order it.</p>
        <Link className="button" to={`/sign-in?next=${encodeURIComponent(`/order/${slug}`)}`}>
          Sign in
        </Link>
      </div>,
    );
  }
  if (summary.isPending) return <Loading what="your payment methods" />;
  if (summary.isError) {
    return page(
      <div className="notice notice-error" role="alert">
        <p>{describeProblem(summary.error).message}</p>
        <button type="button" onClick={() => summary.refetch()}>
          Try again
        </button>
      </div>,
    );
  }
  if (!summary.data.configured || summary.data.hasPaymentMethod) return <>{children}</>;

  const open = async () => {
    // The tab opens on the click itself (browsers block one opened later), then goes to the link.
    const tab = window.open('', '_blank');
    try {
      const { url } = await link.mutateAsync();
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    } catch {
      tab?.close();
    }
  };
  return page(
    <div className="notice" role="status">
      <p>
        {productName} is billed to your account with {summary.data.system}: add a payment method there first, then come
        back to this page.
      </p>
      <p className="actions">
        <button type="button" className="primary" onClick={open} disabled={link.isPending}>
          Add a payment method
        </button>
        <button type="button" onClick={() => summary.refetch()} disabled={summary.isFetching}>
          {summary.isFetching ? 'Checking…' : 'I have added one: check again'}
        </button>
      </p>
      {link.isError ? <p className="field-error">{describeProblem(link.error).message}</p> : null}
    </div>,
  );
}
