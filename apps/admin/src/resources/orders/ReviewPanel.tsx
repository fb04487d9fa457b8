import {
  type ActivationChoice,
  type Address,
  ageOn,
  describeMoment,
  formatAddress,
  isCalendarDate,
  wallClockAt,
  zonedToInstant,
} from '@handover/contracts';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, useNotify, useRefresh } from 'react-admin';
import { when } from '../../fields/dates';
import { may, useBackOffice, useRole } from '../../permissions';
import { proposedActivation, waitedFor } from '../reviews/ReviewList';

/** What the order page's review panel reads of the order. */
export interface ReviewedOrder {
  id: string;
  orderCode: string;
  status: string;
  createdAt: Date;
  amountMinor: number;
  currency: string;
  review: { decision: string | null; decidedAt: Date | null; decidedBy: string | null; reason: string | null };
  proposedActivation: { type: string; at: Date | null; timeZone: string | null };
  serviceKind: string | null;
  billingAddress: Address | null;
  customer: {
    email: string;
    name: string | null;
    phone: string | null;
    company: string | null;
    customerNumber: string | null;
    address: Address | null;
    dateOfBirth: string | null;
    memberSince: Date;
  };
  history: {
    orders: number;
    delivered: number;
    failed: number;
    refunded: number;
    rejected: number;
    firstOrderAt: Date | null;
    services: { serviceKind: string; orderId: string; orderCode: string }[];
    recent: { id: string; orderCode: string; status: string; fulfillmentStatus: string; createdAt: Date }[];
  };
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const zones = (): string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', browserZone()];

/** The server's message for one field, shown beside it. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof HttpError)) return undefined;
  return (error.body as { errors?: Record<string, string> } | null)?.errors?.[field];
}

/**
 * Seed 004's review of one order: who the customer is and what they ordered before, the
 * activation they asked for, and, for ops, Approve (at once or on a date in an explicit zone) and
 * Reject (with a reason; what was paid is refunded). Once decided, the decision and its operator.
 */
export function ReviewPanel({ order }: { order: ReviewedOrder }) {
  const role = useRole();
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const { customer, history } = order;
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Stack spacing={1}>
      {order.status === 'pending_review' ? (
        <Alert severity="warning">
          Awaiting review for {waitedFor(order.createdAt)}: nothing is provisioned until an operator approves it.
        </Alert>
      ) : order.review.decision ? (
        <Alert severity={order.review.decision === 'approved' ? 'success' : 'error'}>
          {order.review.decision === 'approved' ? 'Approved' : 'Rejected'} by {order.review.decidedBy ?? 'someone'} on{' '}
          {when(order.review.decidedAt)}
          {order.review.reason ? `: ${order.review.reason}` : ''}
        </Alert>
      ) : null}
      <Typography>
        Customer: {customer.email}
        {customer.name ? ` (${customer.name})` : ''}, since {new Date(customer.memberSince).toLocaleDateString()}
      </Typography>
      <Typography>
        Company: {customer.company ?? '—'}; customer number: {customer.customerNumber ?? '—'}
      </Typography>
      <Typography>
        Date of birth: {customer.dateOfBirth ? `${customer.dateOfBirth} (${ageOn(customer.dateOfBirth, today)})` : '—'}
      </Typography>
      <Typography>
        Billing and service address on the order: {order.billingAddress ? formatAddress(order.billingAddress) : '—'}
      </Typography>
      <Typography>Activation asked for: {proposedActivation(order.proposedActivation)}</Typography>
      <Typography>
        History:{' '}
        {history.orders === 0
          ? 'first order'
          : `${history.orders} earlier orders, ${history.delivered} delivered, ${history.failed} failed, ${history.refunded} refunded, ${history.rejected} rejected`}
      </Typography>
      {history.services.map((service) => (
        <Alert key={service.orderId} severity="info">
          Already has {service.serviceKind.replaceAll('_', ' ')}: order {service.orderCode}
        </Alert>
      ))}
      {order.status === 'pending_review' && may.operate(role) && (
        <Stack direction="row" spacing={1}>
          <Button variant="contained" startIcon={<CheckIcon />} onClick={() => setDialog('approve')}>
            Approve
          </Button>
          <Button color="error" variant="outlined" startIcon={<CloseIcon />} onClick={() => setDialog('reject')}>
            Reject
          </Button>
        </Stack>
      )}
      {dialog === 'approve' && <ApproveDialog order={order} onClose={() => setDialog(null)} />}
      {dialog === 'reject' && <RejectDialog order={order} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

function ApproveDialog({ order, onClose }: { order: ReviewedOrder; onClose(): void }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const proposed = order.proposedActivation;
  const zone = proposed.timeZone ?? browserZone();
  const start = proposed.at
    ? wallClockAt(new Date(proposed.at), zone)
    : { date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), time: '09:00' };
  const [type, setType] = useState<'immediate' | 'scheduled'>(
    proposed.type === 'scheduled' ? 'scheduled' : 'immediate',
  );
  const [moment, setMoment] = useState({ date: start.date, time: start.time, timeZone: zone });
  const valid = isCalendarDate(moment.date) && /^\d{2}:\d{2}$/.test(moment.time);
  const at = valid ? zonedToInstant(moment.date, moment.time, moment.timeZone) : null;
  const approve = useMutation({
    mutationFn: (activation: ActivationChoice) => backOffice.approveOrder({ orderId: order.id, activation }),
    onSuccess: () => {
      notify(`Order ${order.orderCode} approved`, { type: 'success' });
      refresh();
      onClose();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const dateError = fieldError(approve.error, 'activation.date');
  return (
    <Dialog open onClose={onClose} aria-labelledby="approve-title" fullWidth>
      <DialogTitle id="approve-title">Approve order {order.orderCode}</DialogTitle>
      <DialogContent>
        <RadioGroup
          aria-label="Activation"
          value={type}
          onChange={(event) => setType(event.target.value as 'immediate' | 'scheduled')}
        >
          <FormControlLabel value="immediate" control={<Radio />} label="Activate at once" />
          <FormControlLabel value="scheduled" control={<Radio />} label="Activate on a date" />
        </RadioGroup>
        {type === 'scheduled' && (
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label="Activation date"
              type="date"
              value={moment.date}
              onChange={(event) => setMoment({ ...moment, date: event.target.value })}
              error={Boolean(dateError)}
              helperText={dateError}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label="Time"
              type="time"
              value={moment.time}
              onChange={(event) => setMoment({ ...moment, time: event.target.value })}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              select
              label="Time zone"
              value={moment.timeZone}
              onChange={(event) => setMoment({ ...moment, timeZone: event.target.value })}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            >
              {[...new Set([moment.timeZone, ...zones()])].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </TextField>
            {at && (
              <DialogContentText>
                Activates {describeMoment(at, moment.timeZone)}; checks run three days before. Your time:{' '}
                {at.toLocaleString()}.
              </DialogContentText>
            )}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button
          variant="contained"
          disabled={approve.isPending || (type === 'scheduled' && !valid)}
          onClick={() => approve.mutate(type === 'immediate' ? { type } : { type, ...moment })}
        >
          Confirm approval
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function RejectDialog({ order, onClose }: { order: ReviewedOrder; onClose(): void }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const [reason, setReason] = useState('');
  const reject = useMutation({
    mutationFn: () => backOffice.rejectOrder(order.id, reason.trim()),
    onSuccess: (done) => {
      const refunds = done.refunds.length;
      notify(`Order ${order.orderCode} rejected${refunds ? '; its payment is being refunded' : ''}`, { type: 'info' });
      refresh();
      onClose();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const tooShort = reason.trim().length < 3;
  return (
    <Dialog open onClose={onClose} aria-labelledby="reject-title" fullWidth>
      <DialogTitle id="reject-title">Reject order {order.orderCode}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The customer is told why, and everything paid for this order is refunded. This cannot be undone.
        </DialogContentText>
        <TextField
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          label="Reason"
          required
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          helperText="Sent to the customer, and kept in the activity log."
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button
          color="error"
          variant="contained"
          disabled={reject.isPending || tooShort}
          onClick={() => reject.mutate()}
        >
          Reject and refund
        </Button>
      </DialogActions>
    </Dialog>
  );
}
