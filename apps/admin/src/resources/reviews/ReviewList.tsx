import { describeMoment } from '@handover/contracts';
import { Stack, Typography } from '@mui/material';
import { Datagrid, FunctionField, List, TextField } from 'react-admin';
import { formatMoney } from '../../fields/money';

/** A row of the review queue as the API gives it (core's ReviewQueueItem). */
export interface ReviewRow {
  id: string;
  orderCode: string;
  createdAt: Date;
  amountMinor: number;
  currency: string;
  customer: { email: string; name: string | null; company: string | null; customerNumber: string | null };
  items: { id: string; productName: string; quantity: number; input: unknown }[];
  activation: { type: string; at: Date | null; timeZone: string | null };
  serviceKind: string | null;
  history: {
    orders: number;
    delivered: number;
    failed: number;
    refunded: number;
    rejected: number;
    services: { serviceKind: string; orderCode: string }[];
  };
}

/** How long an order has waited: `45 min`, `3 h`, `2 d`. */
export function waitedFor(since: Date, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

/** The activation an order carries into review: at once, or the date the customer chose. */
export function proposedActivation(activation: ReviewRow['activation']): string {
  if (activation.type !== 'scheduled') return 'Activate at once';
  if (!activation.at) return 'Scheduled: ops choose the date';
  return `Scheduled: ${describeMoment(new Date(activation.at), activation.timeZone ?? 'UTC')}`;
}

/** The options the customer filled in, as `notes: ground floor; label: Ama's phone`. */
function options(input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  return Object.entries(input as Record<string, unknown>)
    .filter(([, value]) => value !== '' && value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}

function History({ history }: { history: ReviewRow['history'] }) {
  if (history.orders === 0) return <Typography variant="body2">First order</Typography>;
  return (
    <Stack>
      <Typography variant="body2">
        {history.orders} earlier: {history.delivered} delivered, {history.failed} failed, {history.refunded} refunded,{' '}
        {history.rejected} rejected
      </Typography>
      {history.services.map((service) => (
        <Typography key={service.serviceKind} variant="body2" color="warning.main">
          Has {service.serviceKind.replaceAll('_', ' ')} ({service.orderCode})
        </Typography>
      ))}
    </Stack>
  );
}

/** Seed 004: the orders awaiting review, oldest first; a row opens the order to approve or reject it. */
export function ReviewList() {
  return (
    <List pagination={false} exporter={false} title="Orders awaiting review" empty={<NothingToReview />}>
      <Datagrid bulkActionButtons={false} rowClick={(id) => `/orders/${id}/show`}>
        <TextField source="orderCode" label="Order" sortable={false} />
        <FunctionField label="Waiting" render={(row: ReviewRow) => waitedFor(row.createdAt)} />
        <FunctionField
          label="Customer"
          render={(row: ReviewRow) => (
            <Stack>
              <Typography variant="body2">{row.customer.email}</Typography>
              <Typography variant="body2" color="text.secondary">
                {[row.customer.name, row.customer.company, row.customer.customerNumber].filter(Boolean).join(' · ') ||
                  'No profile details'}
              </Typography>
            </Stack>
          )}
        />
        <FunctionField
          label="Items and options"
          render={(row: ReviewRow) => (
            <Stack>
              {row.items.map((item) => (
                <Typography key={item.id} variant="body2">
                  {item.quantity} × {item.productName}
                  {options(item.input) ? ` (${options(item.input)})` : ''}
                </Typography>
              ))}
              <Typography variant="body2" color="text.secondary">
                {proposedActivation(row.activation)}
              </Typography>
            </Stack>
          )}
        />
        <FunctionField label="History" render={(row: ReviewRow) => <History history={row.history} />} />
        <FunctionField label="Total" render={(row: ReviewRow) => formatMoney(row.amountMinor, row.currency)} />
      </Datagrid>
    </List>
  );
}

function NothingToReview() {
  return (
    <Typography sx={{ p: 3 }} color="text.secondary">
      No order is waiting for review.
    </Typography>
  );
}
