import { GATEWAY_LABELS } from '@handover/contracts';
import type { CustomerOrder } from '../drivers/types';
import { formatMoney } from '../money';
import { formatTime } from './statusText';

const REFUND_STATUS: Record<string, string> = {
  pending: 'on its way',
  succeeded: 'refunded',
  failed: 'could not be sent; our team is on it',
};

/** The order's money as the customer follows it: what they paid, each refund and where it went, and the invoice. */
export function OrderMoney({ order }: { order: CustomerOrder }) {
  const paidWith = order.paymentGateway ? GATEWAY_LABELS[order.paymentGateway] : null;
  return (
    <section className="item" aria-labelledby="payment-heading">
      <h2 id="payment-heading">Payment</h2>
      {order.isTest ? <p className="muted">A test order: nothing was charged.</p> : null}
      <ol className="timeline" aria-label="Payment and refunds">
        {order.money.map((event) => (
          <li key={`${event.kind}-${new Date(event.at).toISOString()}-${event.amountMinor}`} className="step">
            <span>
              {event.kind === 'payment'
                ? `Paid ${formatMoney(event.amountMinor, event.currency)}${paidWith ? ` with ${paidWith}` : ''}`
                : `Refund of ${formatMoney(event.amountMinor, event.currency)} ${
                    event.destination === 'wallet' ? 'to your wallet' : 'to the way you paid'
                  }: ${REFUND_STATUS[event.status] ?? event.status}`}
            </span>{' '}
            <time dateTime={new Date(event.at).toISOString()} className="muted">
              {formatTime(event.at)}
            </time>
          </li>
        ))}
      </ol>
      {order.refundedMinor > 0 ? (
        <p>
          Refunded so far: <strong>{formatMoney(order.refundedMinor, order.currency)}</strong> of{' '}
          {formatMoney(order.amountMinor, order.currency)}.
        </p>
      ) : null}
      {order.isTest ? null : (
        <p>
          <a href={`/invoices/${order.orderCode}.pdf`} download>
            Download the invoice (PDF)
          </a>
        </p>
      )}
    </section>
  );
}
