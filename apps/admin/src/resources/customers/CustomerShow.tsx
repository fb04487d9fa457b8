import { statusLabel } from '@handover/contracts';
import { Grid, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link, Show, useShowContext } from 'react-admin';
import { when } from '../../fields/dates';
import { formatMoney } from '../../fields/money';
import { Section } from '../../fields/Panel';
import { StaffNotes } from '../../fields/StaffNotes';

/** The customer's page as the API answers it. */
interface StaffCustomer {
  id: string;
  email: string;
  role: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  customerNumber: string | null;
  address: {
    line1?: string;
    line2?: string;
    city?: string;
    region?: string;
    postalCode?: string;
    country?: string;
  } | null;
  emailVerifiedAt: Date | null;
  lastLoginAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  orderCount: number;
  orders: {
    id: string;
    orderCode: string;
    status: string;
    fulfillmentStatus: string;
    amountMinor: number;
    currency: string;
    createdAt: Date;
  }[];
  payments: {
    id: string;
    orderId: string | null;
    orderCode: string | null;
    gateway: string;
    purpose: string;
    amountMinor: number;
    refundedMinor: number;
    currency: string;
    status: string;
    paidAt: Date;
  }[];
  refunds: {
    id: string;
    orderId: string;
    orderCode: string;
    amountMinor: number;
    currency: string;
    destination: string;
    status: string;
    reason: string;
    createdAt: Date;
  }[];
  wallet: { currency: string; balanceMinor: number }[];
  subscriptions: {
    id: string;
    orderId: string;
    orderCode: string;
    productName: string;
    status: string;
    amountMinor: number;
    currency: string;
    interval: string | null;
    nextRenewalAt: Date | null;
  }[];
  billingAccount: {
    system: string;
    clientId: string;
    customerNumber: string | null;
    operatorAccountId: string | null;
  } | null;
  notes: { id: string; body: string; authorEmail: string; authorName: string | null; createdAt: Date }[];
}

function Empty({ children }: { children: ReactNode }) {
  return <Typography color="text.secondary">{children}</Typography>;
}

const orderLink = (id: string | null, code: string | null) =>
  id ? <Link to={`/orders/${id}/show`}>{code ?? id.slice(0, 8)}</Link> : 'Wallet top-up';

function CustomerDetail() {
  const { record, isPending, error } = useShowContext<StaffCustomer>();
  // The list's row stands in while the full page loads; it has no orders yet.
  if (isPending || (record && !record.orders)) return <Typography sx={{ p: 2 }}>Loading the customer…</Typography>;
  if (error || !record)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        This customer could not be loaded.
      </Typography>
    );
  const address = record.address
    ? [
        record.address.line1,
        record.address.line2,
        record.address.city,
        record.address.region,
        record.address.postalCode,
        record.address.country,
      ]
        .filter(Boolean)
        .join(', ')
    : null;
  return (
    <Grid container spacing={2} sx={{ p: 2 }}>
      <Grid size={{ xs: 12, md: 5 }}>
        <Section title={record.name ? `${record.name} (${record.email})` : record.email}>
          {record.role === 'customer' ? null : (
            <Typography>Staff account ({record.role}): its own orders, such as test orders.</Typography>
          )}
          <Typography>Email: {record.email}</Typography>
          <Typography>Phone: {record.phone ?? '—'}</Typography>
          <Typography>Company: {record.company ?? '—'}</Typography>
          <Typography>Customer number: {record.customerNumber ?? '—'}</Typography>
          <Typography>Address: {address ?? '—'}</Typography>
          <Typography>Email confirmed: {record.emailVerifiedAt ? when(record.emailVerifiedAt) : 'not yet'}</Typography>
          <Typography>Last sign-in: {record.lastLoginAt ? when(record.lastLoginAt) : 'never'}</Typography>
          <Typography>Joined: {when(record.createdAt)}</Typography>
          {record.disabledAt ? <Typography color="error">Disabled since {when(record.disabledAt)}</Typography> : null}
        </Section>
        <Section title="Wallet">
          {record.wallet.length === 0 ? (
            <Empty>No wallet yet.</Empty>
          ) : (
            record.wallet.map((w) => (
              <Typography key={w.currency} data-testid="wallet-balance">
                Balance: {formatMoney(w.balanceMinor, w.currency)}
              </Typography>
            ))
          )}
        </Section>
        <Section title="Billing account">
          {record.billingAccount ? (
            <Typography component="dl">
              <dt>{record.billingAccount.system} client</dt>
              <dd>#{record.billingAccount.clientId}</dd>
              <dt>Customer number</dt>
              <dd>{record.billingAccount.customerNumber ?? '—'}</dd>
              <dt>Operator-system account</dt>
              <dd>{record.billingAccount.operatorAccountId ?? '—'}</dd>
            </Typography>
          ) : (
            <Empty>No billing account: it is made at the customer's first billed order.</Empty>
          )}
        </Section>
        <Section title="Notes">
          <StaffNotes subjectType="customer" subjectId={record.id} notes={record.notes} />
        </Section>
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Section title={`Orders (${record.orderCount})`}>
          {record.orders.length === 0 ? (
            <Empty>No orders.</Empty>
          ) : (
            <Table size="small" aria-label="Orders">
              <TableHead>
                <TableRow>
                  <TableCell>Order</TableCell>
                  <TableCell>Placed</TableCell>
                  <TableCell>Payment</TableCell>
                  <TableCell>Fulfillment</TableCell>
                  <TableCell align="right">Amount</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.orders.map((o) => (
                  <TableRow key={o.id}>
                    <TableCell>{orderLink(o.id, o.orderCode)}</TableCell>
                    <TableCell>{when(o.createdAt)}</TableCell>
                    <TableCell>{statusLabel(o.status)}</TableCell>
                    <TableCell>{statusLabel(o.fulfillmentStatus)}</TableCell>
                    <TableCell align="right">{formatMoney(o.amountMinor, o.currency)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {record.orderCount > record.orders.length ? (
            <Typography variant="body2" sx={{ mt: 1 }}>
              The latest {record.orders.length} are shown; search the orders list by {record.email} for all of them.
            </Typography>
          ) : null}
        </Section>
        <Section title="Payments and refunds">
          {record.payments.length === 0 ? (
            <Empty>No payments.</Empty>
          ) : (
            <Table size="small" aria-label="Payments">
              <TableHead>
                <TableRow>
                  <TableCell>Paid</TableCell>
                  <TableCell>For</TableCell>
                  <TableCell>Gateway</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell align="right">Amount</TableCell>
                  <TableCell align="right">Refunded</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.payments.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell>{when(p.paidAt)}</TableCell>
                    <TableCell>{orderLink(p.orderId, p.orderCode)}</TableCell>
                    <TableCell>{p.gateway}</TableCell>
                    <TableCell>{statusLabel(p.status)}</TableCell>
                    <TableCell align="right">{formatMoney(p.amountMinor, p.currency)}</TableCell>
                    <TableCell align="right">{formatMoney(p.refundedMinor, p.currency)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {record.refunds.length > 0 ? (
            <Table size="small" aria-label="Refunds" sx={{ mt: 2 }}>
              <TableHead>
                <TableRow>
                  <TableCell>Asked</TableCell>
                  <TableCell>Order</TableCell>
                  <TableCell>To</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Reason</TableCell>
                  <TableCell align="right">Amount</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.refunds.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>{when(r.createdAt)}</TableCell>
                    <TableCell>{orderLink(r.orderId, r.orderCode)}</TableCell>
                    <TableCell>{statusLabel(r.destination)}</TableCell>
                    <TableCell>{statusLabel(r.status)}</TableCell>
                    <TableCell>{r.reason}</TableCell>
                    <TableCell align="right">{formatMoney(r.amountMinor, r.currency)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </Section>
        <Section title="Subscriptions">
          {record.subscriptions.length === 0 ? (
            <Empty>No subscriptions.</Empty>
          ) : (
            <Table size="small" aria-label="Subscriptions">
              <TableHead>
                <TableRow>
                  <TableCell>Product</TableCell>
                  <TableCell>Order</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Next renewal</TableCell>
                  <TableCell align="right">Amount</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.subscriptions.map((s) => (
                  <TableRow key={s.id}>
                    <TableCell>{s.productName}</TableCell>
                    <TableCell>{orderLink(s.orderId, s.orderCode)}</TableCell>
                    <TableCell>{statusLabel(s.status)}</TableCell>
                    <TableCell>{when(s.nextRenewalAt)}</TableCell>
                    <TableCell align="right">
                      {formatMoney(s.amountMinor, s.currency)}
                      {s.interval ? ` / ${s.interval}` : ''}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
      </Grid>
    </Grid>
  );
}

export function CustomerShow() {
  return (
    <Show component="div" title="Customer">
      <CustomerDetail />
    </Show>
  );
}
