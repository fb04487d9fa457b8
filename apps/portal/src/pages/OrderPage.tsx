import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'wouter';
import { ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney } from '../money';
import { CheckDnsNow } from '../orders/CheckDnsNow';
import { DeliveryCard } from '../orders/DeliveryCard';
import { OrderMoney } from '../orders/OrderMoney';
import { ReviewAndActivation } from '../orders/ReviewAndActivation';
import { customerOrderStatus, formatTime, isSettled, StatusBadge } from '../orders/statusText';
import { useTRPC } from '../trpc';

const REVIEW_TEXT = {
  awaiting: {
    label: 'Awaiting review',
    tone: 'wait',
    next: 'Our team reviews this order before setting it up; we will let you know as soon as it is decided.',
  },
  rejected: {
    label: 'Not approved',
    tone: 'neutral',
    next: 'This order was not approved, and what you paid is refunded. The reason is below.',
  },
} as const;

export function OrderPage() {
  const { code = '' } = useParams();
  const trpc = useTRPC();
  const order = useQuery({
    ...trpc.orders.byCode.queryOptions({ orderCode: code }),
    // Live while anything can still change; a settled order is left alone.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && isSettled(data.fulfillmentStatus, data.dnsStatus) ? false : 3_000;
    },
    retry: (count, error) => describeProblem(error).code !== 'NOT_FOUND' && count < 2,
  });
  // A delivery may have brought the customer's first product or subscription: the menu shows it.
  const queryClient = useQueryClient();
  const fulfillment = order.data?.fulfillmentStatus;
  useEffect(() => {
    if (!fulfillment) return;
    void queryClient.invalidateQueries({ queryKey: trpc.products.kinds.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.subscriptions.count.queryKey() });
  }, [fulfillment, queryClient, trpc]);

  if (order.isPending) return <Loading what="your order" />;
  if (order.isError) {
    const problem = describeProblem(order.error);
    return (
      <section>
        <h1>Order {code.toUpperCase()}</h1>
        <ErrorNotice retry={problem.code === 'NOT_FOUND' ? undefined : () => order.refetch()}>
          {problem.message} <Link to="/orders">See your orders</Link>
        </ErrorNotice>
      </section>
    );
  }

  const data = order.data;
  // Seed 004: an order in review says so, then its decision, whatever its deliveries are doing.
  const status =
    data.review?.state === 'awaiting'
      ? REVIEW_TEXT.awaiting
      : data.review?.state === 'rejected'
        ? REVIEW_TEXT.rejected
        : customerOrderStatus(data);
  return (
    <section>
      <p>
        <Link to="/orders">← My orders</Link>
      </p>
      <h1>
        Order {data.orderCode} <StatusBadge {...status} />
        {data.isTest ? <span className="status status-neutral">Test order</span> : null}
      </h1>
      <p className="muted">
        Placed {formatTime(data.createdAt)} · {formatMoney(data.amountMinor, data.currency)}
        {data.completedAt ? ` · delivered ${formatTime(data.completedAt)}` : ''}
      </p>
      <p className="next" aria-live="polite">
        {status.next}
      </p>
      {data.dnsStatus === 'pending_verification' ? <CheckDnsNow orderId={data.id} /> : null}
      <ReviewAndActivation order={data} />
      <OrderMoney order={data} />
      {data.items.map((item) => (
        <section key={item.id} className="item">
          <h2>
            {item.productName}
            {item.quantity > 1 ? ` × ${item.quantity}` : ''}
          </h2>
          {item.deliveries.length === 0 ? <p className="muted">Not started yet.</p> : null}
          {item.deliveries.map((delivery) => (
            <DeliveryCard key={delivery.id} delivery={delivery} order={data} />
          ))}
        </section>
      ))}
    </section>
  );
}
