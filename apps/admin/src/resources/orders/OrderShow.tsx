import { statusLabel } from '@handover/contracts';
import { WHMCS_DRIVER } from '@handover/contracts/drivers/whmcs';
import { Grid, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, Show, useShowContext } from 'react-admin';
import { when } from '../../fields/dates';
import { FormFields } from '../../fields/FormFields';
import { formatMoney } from '../../fields/money';
import { Section } from '../../fields/Panel';
import { type StaffNote, StaffNotes } from '../../fields/StaffNotes';
import { statusColor } from '../../fields/StatusChip';
import { ActivationPanel, type OrderActivation } from './ActivationPanel';
import { BillingAccountPanel } from './BillingAccountPanel';
import { OrderMessages } from './OrderMessages';
import { OrderPayments } from './OrderPayments';
import { type ReviewedOrder, ReviewPanel } from './ReviewPanel';

interface StaffOrder extends ReviewedOrder {
  id: string;
  userId: string;
  orderCode: string;
  email: string;
  phone: string | null;
  status: string;
  fulfillmentStatus: string;
  fulfillmentError: string | null;
  paymentGateway: string | null;
  paymentReference: string | null;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  paidAt: Date | null;
  createdAt: Date;
  activation: OrderActivation | null;
  items: {
    id: string;
    productName: string;
    driver: string;
    quantity: number;
    unitPriceMinor: number;
    currency: string;
    input: unknown;
  }[];
  records: {
    id: string;
    driver: string;
    subject: string | null;
    status: string;
    currentStep: string | null;
    attempts: number;
    lastError: string | null;
  }[];
  payments: {
    id: string;
    gateway: string;
    type: string | null;
    status: string;
    paymentId: string | null;
    error: string | null;
    createdAt: Date;
  }[];
  activity: { id: number; action: string; description: string; actorType: string; createdAt: Date }[];
  notes: StaffNote[];
}

function OrderDetail() {
  const { record, isPending, error } = useShowContext<StaffOrder>();
  // The list's row stands in while the full order loads; it has no items yet.
  if (isPending || (record && !record.items)) return <Typography sx={{ p: 2 }}>Loading the order…</Typography>;
  if (error || !record)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        This order could not be loaded.
      </Typography>
    );
  return (
    <Grid container spacing={2} sx={{ p: 2 }}>
      {record.status === 'pending_review' || record.review.decision ? (
        <Grid size={{ xs: 12, md: record.activation ? 7 : 12 }}>
          <Section title="Review">
            <ReviewPanel order={record} />
          </Section>
        </Grid>
      ) : null}
      {record.activation ? (
        <Grid size={{ xs: 12, md: record.status === 'pending_review' || record.review.decision ? 5 : 12 }}>
          <Section title="Activation">
            <ActivationPanel orderId={record.id} activation={record.activation} />
          </Section>
        </Grid>
      ) : null}
      {record.items.some((item) => item.driver === WHMCS_DRIVER) ? (
        <Grid size={12}>
          <Section title="Billing account">
            <BillingAccountPanel userId={record.userId} />
          </Section>
        </Grid>
      ) : null}
      <Grid size={12}>
        <Section title="Payments and refunds">
          <OrderPayments orderId={record.id} />
        </Section>
      </Grid>
      <Grid size={{ xs: 12, md: 5 }}>
        <Section title={`Order ${record.orderCode}`}>
          <Typography>
            Customer: <Link to={`/customers/${record.userId}/show`}>{record.email}</Link>
          </Typography>
          <Typography>Phone: {record.phone ?? '—'}</Typography>
          <Typography>Payment status: {statusLabel(record.status)}</Typography>
          <Typography color={statusColor(record.fulfillmentStatus) === 'error' ? 'error' : undefined}>
            Fulfillment: {statusLabel(record.fulfillmentStatus)}
            {record.fulfillmentError ? ` — ${record.fulfillmentError}` : ''}
          </Typography>
          <Typography>Placed: {when(record.createdAt)}</Typography>
        </Section>
        <Section title="Checkout">
          <Typography>
            Amount: {formatMoney(record.amountMinor, record.currency)}; refunded{' '}
            {formatMoney(record.refundedMinor, record.currency)}
          </Typography>
          <Typography>Gateway: {record.paymentGateway ?? '—'}</Typography>
          <Typography>Reference: {record.paymentReference ?? '—'}</Typography>
          <Typography>Paid: {when(record.paidAt)}</Typography>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            Gateway events
          </Typography>
          {record.payments.length === 0 ? (
            <Typography color="text.secondary">No gateway events recorded for this order.</Typography>
          ) : (
            <Table size="small" aria-label="Gateway events">
              <TableHead>
                <TableRow>
                  <TableCell>When</TableCell>
                  <TableCell>Gateway</TableCell>
                  <TableCell>Event</TableCell>
                  <TableCell>Status</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.payments.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell>{when(p.createdAt)}</TableCell>
                    <TableCell>{p.gateway}</TableCell>
                    <TableCell>{p.type ?? '—'}</TableCell>
                    <TableCell>{p.error ? `${p.status}: ${p.error}` : p.status}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Section title="Items">
          {record.items.map((item) => (
            <div key={item.id}>
              <Typography>
                {item.quantity} × {item.productName} ({item.driver}) at{' '}
                {formatMoney(item.unitPriceMinor, item.currency)}
              </Typography>
              <FormFields title={`Order form for ${item.productName}`} value={item.input} />
            </div>
          ))}
        </Section>
        <Section title="Fulfillment records">
          {record.records.length === 0 ? (
            <Typography color="text.secondary">No fulfillment records yet (the order may await review).</Typography>
          ) : (
            <Table size="small" aria-label="Fulfillment records">
              <TableHead>
                <TableRow>
                  <TableCell>Subject</TableCell>
                  <TableCell>Driver</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Step</TableCell>
                  <TableCell>Last error</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {record.records.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>
                      <Link to={`/fulfillment-records/${r.id}/show`}>{r.subject ?? r.id.slice(0, 8)}</Link>
                    </TableCell>
                    <TableCell>{r.driver}</TableCell>
                    <TableCell>{statusLabel(r.status)}</TableCell>
                    <TableCell>{r.currentStep ?? '—'}</TableCell>
                    <TableCell>{r.lastError ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
        <Section title="Notes">
          <StaffNotes subjectType="order" subjectId={record.id} notes={record.notes} />
        </Section>
        <Section title="Messages sent">
          <OrderMessages orderId={record.id} />
        </Section>
        <Section title="Activity">
          {record.activity.length === 0 ? (
            <Typography color="text.secondary">Nothing recorded yet.</Typography>
          ) : (
            <Table size="small" aria-label="Activity">
              <TableBody>
                {record.activity.map((a) => (
                  <TableRow key={a.id}>
                    <TableCell>{when(a.createdAt)}</TableCell>
                    <TableCell>{a.action}</TableCell>
                    <TableCell>{a.description || '—'}</TableCell>
                    <TableCell>{a.actorType}</TableCell>
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

export function OrderShow() {
  return (
    <Show component="div" title="Order">
      <OrderDetail />
    </Show>
  );
}
