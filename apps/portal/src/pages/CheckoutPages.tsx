import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { useSession } from '../account/useSession';
import { ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney } from '../money';
import { type RouterOutputs, useTRPC } from '../trpc';

type CheckoutStatus = RouterOutputs['checkout']['status'];

/** A checkout's id, as the gateway hands it back: a UUID, or nothing to follow. */
function usePendingId(): string | null {
  const [params] = useSearchParams();
  const id = params.get('pending') ?? '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
}

/** Follows the payment until the order exists (the gateway's webhook may come a moment later). */
function useCheckoutStatus(pendingId: string | null) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.checkout.status.queryOptions({ pendingOrderId: pendingId ?? '' }),
    enabled: pendingId !== null,
    refetchInterval: (query) => (isSettled(query.state.data) ? false : 2_000),
  });
}

const isSettled = (status: CheckoutStatus | undefined) =>
  status !== undefined &&
  (status.status === 'expired' ||
    status.status === 'cancelled' ||
    (status.status === 'paid' && (status.purpose !== 'order' || status.orderCode !== null)));

/** `/checkout/complete?pending=…`: where the gateway sends the customer back after paying. */
export function CheckoutCompletePage() {
  const pendingId = usePendingId();
  const status = useCheckoutStatus(pendingId);
  if (!pendingId) return <NoCheckout />;
  if (status.isPending) return <Loading what="your payment" />;
  if (status.isError) {
    return <ErrorNotice retry={() => status.refetch()}>{describeProblem(status.error).message}</ErrorNotice>;
  }
  return (
    <section className="narrow">
      <CheckoutOutcome status={status.data} />
    </section>
  );
}

/** `/checkout/cancelled?pending=…`: the customer left the payment page without paying. */
export function CheckoutCancelledPage() {
  const pendingId = usePendingId();
  const status = useCheckoutStatus(pendingId);
  // A payment that went through after all (another tab, a late answer) is shown as such.
  if (status.data?.status === 'paid') {
    return (
      <section className="narrow">
        <CheckoutOutcome status={status.data} />
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>Payment cancelled</h1>
      <div className="notice">
        <p>You left the payment page before paying. Nothing was charged and nothing will be delivered.</p>
      </div>
      <p>
        <Link to="/">Back to the products</Link> to order again when you are ready.
      </p>
    </section>
  );
}

function CheckoutOutcome({ status }: { status: CheckoutStatus }) {
  const { user } = useSession();
  const amount = formatMoney(status.amountMinor, status.currency);

  if (status.status === 'expired' || status.status === 'cancelled') {
    return (
      <>
        <h1>This checkout has ended</h1>
        <div role="alert" className="notice notice-error">
          <p>
            {status.status === 'expired'
              ? 'No payment arrived before the checkout expired.'
              : 'The checkout was cancelled before any payment.'}{' '}
            Nothing was charged.
          </p>
        </div>
        <p>
          <Link to="/">Back to the products</Link> to order again.
        </p>
      </>
    );
  }

  if (status.status === 'paid' && status.purpose !== 'order') {
    return (
      <>
        <h1>Payment received</h1>
        <div className="notice notice-ok" role="status">
          <p>{amount} has been added to your wallet.</p>
        </div>
        <p>
          <Link to="/wallet">See your wallet</Link> or <Link to="/">continue to the products</Link>.
        </p>
      </>
    );
  }

  if (status.status === 'paid' && status.orderCode) {
    return (
      <>
        <h1>Thank you, your payment is confirmed</h1>
        <div className="notice notice-ok" role="status">
          <p>
            Order <span className="order-code">{status.orderCode}</span> ({amount}) is being set up now. You will be
            told of every step.
          </p>
        </div>
        <StillToPay status={status} />
        {user ? (
          <p>
            <Link className="button" to={`/orders/${status.orderCode}`}>
              Follow your order
            </Link>
          </p>
        ) : (
          <p>
            Your order is in the account for the email you gave. <Link to="/sign-in">Sign in</Link> to follow it, or, if
            it is your first order, <Link to="/sign-up">create your account with that email</Link>: the link we send
            there opens it.
          </p>
        )}
      </>
    );
  }

  return (
    <>
      <h1>Confirming your payment…</h1>
      <div className="notice" role="status" aria-live="polite">
        <p>
          {status.status === 'paid'
            ? 'Your payment is confirmed; we are creating your order.'
            : `We are waiting for the payment provider to confirm your payment of ${amount}. This usually takes a few seconds; this page updates by itself.`}
        </p>
      </div>
      {status.lastPaymentError ? (
        <ErrorNotice>
          Your last payment attempt was declined: {status.lastPaymentError}. No money was taken; you can try again on
          the payment page.
        </ErrorNotice>
      ) : null}
    </>
  );
}

function NoCheckout() {
  return (
    <section className="narrow">
      <h1>No payment to follow</h1>
      <div className="notice">
        <p>This link does not name a checkout. Your orders are listed under My orders once you sign in.</p>
      </div>
      <p>
        <Link to="/orders">My orders</Link>
      </p>
    </section>
  );
}

/**
 * Seed 004, one service per order: the other orders the cart became, each paid on its own. The
 * ones still to pay open their own payment page; the paid ones link to their order.
 */
function StillToPay({ status }: { status: CheckoutStatus }) {
  const trpc = useTRPC();
  const pay = useMutation({
    ...trpc.checkout.continue.mutationOptions(),
    onSuccess: (started) => window.location.assign(started.redirectUrl),
  });
  if (status.siblings.length === 0) return null;
  return (
    <section aria-labelledby="still-to-pay">
      <h2 id="still-to-pay">The rest of your cart</h2>
      <p>Each service is an order of its own, paid and reviewed on its own.</p>
      <ul className="summary-list">
        {status.siblings.map((sibling) => (
          <li key={sibling.pendingOrderId}>
            {sibling.productName} ({formatMoney(sibling.amountMinor, sibling.currency)}):{' '}
            {sibling.orderCode ? (
              <Link to={`/orders/${sibling.orderCode}`}>order {sibling.orderCode}</Link>
            ) : sibling.status === 'pending_payment' ? (
              <button
                type="button"
                disabled={pay.isPending}
                onClick={() => pay.mutate({ pendingOrderId: sibling.pendingOrderId })}
              >
                Pay for {sibling.productName}
              </button>
            ) : (
              'no longer open for payment'
            )}
          </li>
        ))}
      </ul>
      {pay.isError ? <ErrorNotice>{describeProblem(pay.error).message}</ErrorNotice> : null}
    </section>
  );
}
