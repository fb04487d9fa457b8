import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { Field } from '../components/Field';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney } from '../money';
import { customerOrderStatus, formatTime, StatusBadge } from '../orders/statusText';
import { useTRPC } from '../trpc';

export function OrdersPage() {
  const trpc = useTRPC();
  const orders = useQuery({ ...trpc.orders.mine.queryOptions(), refetchInterval: 15_000 });
  const [search, setSearch] = useState('');

  if (orders.isPending) return <Loading what="your orders" />;
  if (orders.isError) {
    return <ErrorNotice retry={() => orders.refetch()}>{describeProblem(orders.error).message}</ErrorNotice>;
  }
  const needle = search.trim().toLowerCase();
  const shown = orders.data.filter(
    (order) =>
      !needle ||
      order.orderCode.toLowerCase().includes(needle) ||
      order.items.some(
        (item) =>
          item.productName.toLowerCase().includes(needle) ||
          item.deliveries.some((d) => d.subject?.toLowerCase().includes(needle)),
      ),
  );

  return (
    <section>
      <h1>My orders</h1>
      {orders.data.length === 0 ? (
        <Empty>
          You have no orders yet. <Link to="/">Browse the catalog</Link>.
        </Empty>
      ) : (
        <>
          <div className="search">
            <Field
              label="Search your orders"
              type="search"
              hint="By order code, product or domain."
              value={search}
              onChange={setSearch}
            />
          </div>
          {shown.length === 0 ? <Empty>No order matches “{search}”.</Empty> : null}
          <ul className="order-list">
            {shown.map((order) => {
              const subjects = order.items.flatMap((i) => i.deliveries.map((d) => d.subject)).filter(Boolean);
              return (
                <li key={order.id}>
                  <Link to={`/orders/${order.orderCode}`} className="order-row">
                    <span className="order-code">{order.orderCode}</span>
                    <span>
                      {order.items.map((i) => i.productName).join(', ')}
                      {subjects.length > 0 ? <span className="muted"> · {subjects.join(', ')}</span> : null}
                    </span>
                    <span className="muted">{formatTime(order.createdAt)}</span>
                    <span>{formatMoney(order.amountMinor, order.currency)}</span>
                    <StatusBadge {...customerOrderStatus(order)} />
                  </Link>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
