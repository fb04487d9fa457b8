import { GATEWAY_LABELS } from '@handover/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney } from '../money';
import { StatusBadge } from '../orders/statusText';
import { type RouterOutputs, useTRPC } from '../trpc';

type Subscription = RouterOutputs['subscriptions']['mine'][number];

const STATUS = {
  active: { label: 'Active', tone: 'ok' },
  past_due: { label: 'Payment failed', tone: 'bad' },
  suspended: { label: 'Suspended', tone: 'bad' },
  cancelled: { label: 'Ended', tone: 'neutral' },
} as const;

const day = (date: Date | string) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(date));

/** Stopping the renewals asks first: it is done at the gateway, and cannot be undone here. */
function CancelAtPeriodEnd({ subscription }: { subscription: Subscription }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.subscriptions.cancel.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.subscriptions.mine.queryKey() }),
    }),
  );
  if (!subscription.canCancel) return null;
  return (
    <div className="actions">
      {confirming ? (
        <>
          <p>
            {subscription.productName} will not renew, and keeps running until{' '}
            {subscription.nextRenewalAt ? day(subscription.nextRenewalAt) : 'the end of the period paid for'}.
          </p>
          <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
          <button
            type="button"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ subscriptionId: subscription.id })}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel at the end of the period'}
          </button>
        </>
      ) : (
        <button type="button" className="button-secondary" onClick={() => setConfirming(true)}>
          Cancel subscription
        </button>
      )}
      {cancel.error ? (
        <p role="alert" className="field-error">
          {describeProblem(cancel.error).message}
        </p>
      ) : null}
    </div>
  );
}

/** `/subscriptions` (seed 003 §7.1 CustomerSubscriptions): status, next renewal, amount, cancel at period end. */
export function SubscriptionsPage() {
  const trpc = useTRPC();
  const subscriptions = useQuery({ ...trpc.subscriptions.mine.queryOptions(), refetchInterval: 30_000 });
  if (subscriptions.isPending) return <Loading what="your subscriptions" />;
  if (subscriptions.isError) {
    return (
      <ErrorNotice retry={() => subscriptions.refetch()}>{describeProblem(subscriptions.error).message}</ErrorNotice>
    );
  }
  return (
    <section>
      <h1>My subscriptions</h1>
      {subscriptions.data.length === 0 ? <Empty>You have no subscriptions.</Empty> : null}
      <ul className="product-list">
        {subscriptions.data.map((subscription) => (
          <li key={subscription.id} className="card" aria-label={subscription.productName}>
            <h2>
              {subscription.productName} <StatusBadge {...STATUS[subscription.status]} />
            </h2>
            <dl className="details">
              <div>
                <dt>Amount</dt>
                <dd>
                  {formatMoney(subscription.amountMinor, subscription.currency)}
                  {subscription.interval ? ` / ${subscription.interval}` : ''} · {GATEWAY_LABELS[subscription.gateway]}
                </dd>
              </div>
              {subscription.nextRenewalAt ? (
                <div>
                  <dt>Next renewal</dt>
                  <dd>{day(subscription.nextRenewalAt)}</dd>
                </div>
              ) : null}
              {subscription.endsAt ? (
                <div>
                  <dt>{subscription.status === 'cancelled' ? 'Ended' : 'Ends'}</dt>
                  <dd>{day(subscription.endsAt)}</dd>
                </div>
              ) : null}
              <div>
                <dt>Order</dt>
                <dd>
                  <Link to={`/orders/${subscription.orderCode}`}>{subscription.orderCode}</Link>
                </dd>
              </div>
            </dl>
            {subscription.status === 'past_due' ? (
              <p className="notice notice-error">
                The last renewal payment failed
                {subscription.lastPaymentError ? ` (${subscription.lastPaymentError})` : ''}. Update your payment method
                with the payment provider
                {subscription.graceEndsAt ? ` before ${day(subscription.graceEndsAt)}` : ''} to keep the service
                running.
              </p>
            ) : subscription.status === 'suspended' ? (
              <p className="notice notice-error">
                The service is suspended until the renewal is paid; it comes back by itself once it is.
              </p>
            ) : subscription.cancelAtPeriodEnd && subscription.status === 'active' ? (
              <p className="notice">This subscription will not renew; it ends at the end of the period paid for.</p>
            ) : null}
            <CancelAtPeriodEnd subscription={subscription} />
          </li>
        ))}
      </ul>
    </section>
  );
}
