import { statusLabel as words } from '@handover/contracts';
import { Alert, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { BackOfficeDataProvider } from '../../dataProvider';
import { when } from '../../fields/dates';
import { formatMoney } from '../../fields/money';
import { may, useBackOffice, useRole } from '../../permissions';
import { RefundButton } from './RefundButton';
import { refundableMinor } from './refundForm';

type OrderMoney = Awaited<ReturnType<BackOfficeDataProvider['orderPayments']>>;

/**
 * What came in for an order and what went back: each payment with what is left to refund, and
 * each refund with who asked and how it went. Finance and admins refund from here.
 */
export function OrderPayments({ orderId }: { orderId: string }) {
  const backOffice = useBackOffice();
  const role = useRole();
  // Refreshing the page (useRefresh, after a refund) invalidates this query too.
  const { data, error, isPending } = useQuery({
    queryKey: ['orders', 'payments', orderId],
    queryFn: () => backOffice.orderPayments(orderId),
  });
  if (isPending) return <Typography>Loading the payments…</Typography>;
  if (error || !data) return <Typography color="error">The payments could not be loaded: {error?.message}</Typography>;
  if (data.isTest)
    return (
      <Alert severity="info">Test order: nothing was charged, so there is no payment and nothing to refund.</Alert>
    );
  return <PaymentsAndRefunds money={data} mayRefund={may.refund(role)} />;
}

function PaymentsAndRefunds({ money, mayRefund }: { money: OrderMoney; mayRefund: boolean }) {
  const left = new Map(money.payments.map((p) => [p.id, refundableMinor(p, money.refunds)]));
  const orderRefundable = [...left.values()].reduce((sum, n) => sum + n, 0);
  return (
    <>
      <Typography data-testid="order-money">
        Charged {formatMoney(money.amountMinor, money.currency)}; refunded{' '}
        {formatMoney(money.refundedMinor, money.currency)}; refundable {formatMoney(orderRefundable, money.currency)}
      </Typography>
      {money.payments.length === 0 ? (
        <Typography color="text.secondary">No payment recorded for this order.</Typography>
      ) : (
        <Table size="small" aria-label="Payments">
          <TableHead>
            <TableRow>
              <TableCell>Paid</TableCell>
              <TableCell>Gateway</TableCell>
              <TableCell>Gateway payment id</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right">Captured</TableCell>
              <TableCell align="right">Refunded</TableCell>
              <TableCell align="right">Refundable</TableCell>
              {mayRefund && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {money.payments.map((p) => {
              const refundable = left.get(p.id) ?? 0;
              return (
                <TableRow key={p.id}>
                  <TableCell>{when(p.paidAt)}</TableCell>
                  <TableCell>{p.gateway}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{p.gatewayPaymentId}</TableCell>
                  <TableCell>{words(p.purpose)}</TableCell>
                  <TableCell>{words(p.status)}</TableCell>
                  <TableCell align="right">{formatMoney(p.amountMinor, p.currency)}</TableCell>
                  <TableCell align="right">{formatMoney(p.refundedMinor, p.currency)}</TableCell>
                  <TableCell align="right">{formatMoney(refundable, p.currency)}</TableCell>
                  {mayRefund && (
                    <TableCell>
                      {refundable > 0 && (
                        <RefundButton
                          orderId={money.orderId}
                          payment={p}
                          refundable={refundable}
                          orderRefundable={orderRefundable}
                        />
                      )}
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Refunds
      </Typography>
      {money.refunds.length === 0 ? (
        <Typography color="text.secondary">Nothing refunded.</Typography>
      ) : (
        <Table size="small" aria-label="Refunds">
          <TableHead>
            <TableRow>
              <TableCell>Asked</TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right">Amount</TableCell>
              <TableCell>To</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>By</TableCell>
              <TableCell>Completed</TableCell>
              <TableCell>Gateway refund id</TableCell>
              <TableCell>Failure</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {money.refunds.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{when(r.createdAt)}</TableCell>
                <TableCell>{words(r.status)}</TableCell>
                <TableCell align="right">{formatMoney(r.amountMinor, r.currency)}</TableCell>
                <TableCell>
                  {r.destination === 'wallet' ? 'wallet' : r.gateway}
                  {r.cancelFulfillment ? '; cancels the fulfillment' : ''}
                </TableCell>
                <TableCell>{r.reason}</TableCell>
                <TableCell>
                  {r.requestedByEmail ?? (r.requestedBy ? r.requestedBy.slice(0, 8) : 'at the gateway')}
                </TableCell>
                <TableCell>{when(r.completedAt)}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{r.gatewayRefundId ?? '—'}</TableCell>
                <TableCell>{r.lastError ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
