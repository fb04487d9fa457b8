import { statusLabel } from '@handover/contracts';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, useRefresh } from 'react-admin';
import type { BackOfficeDataProvider } from '../../dataProvider';
import { when } from '../../fields/dates';
import { may, useBackOffice, useRole } from '../../permissions';

type OrderMessage = Awaited<ReturnType<BackOfficeDataProvider['orderMessages']>>[number];

/** An operator-system message's name in words (its template is a key); other messages show their subject. */
const OPERATOR_SYSTEM_MESSAGES: Record<string, string> = {
  operator_order_create: 'Order made for review',
  operator_writeback: 'Outcome written back',
};

const nameOf = (message: OrderMessage) =>
  message.subject ??
  (message.channel === 'operator_system' ? OPERATOR_SYSTEM_MESSAGES[message.template] : null) ??
  message.template;

/** Where a message goes, with its channel in words. */
function recipientOf(message: OrderMessage): string {
  if (message.channel === 'sms') return `Text to ${message.recipient}`;
  if (message.channel === 'operator_system') {
    return message.template === 'operator_writeback'
      ? `Operator system (Order ${message.recipient})`
      : 'Operator system';
  }
  return message.recipient;
}

/** What the actions column says of a message that offers no action. */
function noActionNote(message: OrderMessage): string {
  if (message.status === 'pending') return 'Waiting to send';
  if (message.channel === 'operator_system') return 'Sent again only when it failed';
  return 'Carries a link: not resent';
}

/**
 * The emails, texts and operator-system messages sent about an order, from the outbox, with where
 * each stands; ops resend an email or text from here (a new copy), and send a failed
 * operator-system message again (the same one).
 */
export function OrderMessages({ orderId }: { orderId: string }) {
  const backOffice = useBackOffice();
  const mayResend = may.operate(useRole());
  const { data, error, isPending } = useQuery({
    queryKey: ['orders', 'messages', orderId],
    queryFn: () => backOffice.orderMessages(orderId),
  });
  if (isPending) return <Typography>Loading the messages…</Typography>;
  if (error) return <Typography color="error">The messages could not be loaded: {error.message}</Typography>;
  if (data.length === 0) return <Typography color="text.secondary">No message was sent about this order.</Typography>;
  return (
    <Table size="small" aria-label="Messages">
      <TableHead>
        <TableRow>
          <TableCell>Queued</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>To</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Sent</TableCell>
          {mayResend && <TableCell>Actions</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {data.map((message) => (
          <TableRow key={message.id}>
            <TableCell>{when(message.createdAt)}</TableCell>
            <TableCell>
              {nameOf(message)}
              {message.resentFrom ? ' (resent copy)' : ''}
            </TableCell>
            <TableCell>{recipientOf(message)}</TableCell>
            <TableCell>
              {statusLabel(message.status)}
              {message.lastError ? `: ${message.lastError}` : ''}
            </TableCell>
            <TableCell>{when(message.sentAt)}</TableCell>
            {mayResend && (
              <TableCell>
                {message.canResend ? (
                  <ResendButton orderId={orderId} message={message} />
                ) : message.canSendAgain ? (
                  <SendAgainButton orderId={orderId} message={message} />
                ) : (
                  <Typography variant="body2" color="text.secondary">
                    {noActionNote(message)}
                  </Typography>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Queues a new copy of a sent (or failed) message, after saying to whom it goes. */
function ResendButton({ orderId, message }: { orderId: string; message: OrderMessage }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const name = nameOf(message);
  const resend = useMutation({
    mutationFn: () => backOffice.resendMessage(orderId, message.id),
    onSuccess: () => {
      notify(`"${name}" is queued again for ${message.recipient}.`, { type: 'info' });
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ['orders', 'messages', orderId] });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  const titleId = `resend-${message.id}-title`;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`Resend "${name}"`}>
        Resend
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>Resend "{name}"?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A new copy goes to {message.recipient}, with the same text as the one queued on {when(message.createdAt)}.
            The original stays as it is, and the order's activity records that you resent it.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Do not resend</Button>
          <Button variant="contained" disabled={resend.isPending} onClick={() => resend.mutate()}>
            Resend
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/**
 * Sends a failed operator-system message again: the same message, back to pending and queued.
 * The operator system takes it as often as it comes (the Order is found by the Handover order id;
 * the write-back sets the same fields), so no copy is made and nothing needs confirming.
 */
function SendAgainButton({ orderId, message }: { orderId: string; message: OrderMessage }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const name = nameOf(message);
  const sendAgain = useMutation({
    mutationFn: () => backOffice.sendMessageAgain(orderId, message.id),
    onSuccess: () => {
      notify(`"${name}" is queued for the operator system again.`, { type: 'info' });
      void queryClient.invalidateQueries({ queryKey: ['orders', 'messages', orderId] });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  return (
    <Button
      size="small"
      disabled={sendAgain.isPending}
      onClick={() => sendAgain.mutate()}
      aria-label={`Send "${name}" again`}
    >
      Send again
    </Button>
  );
}
