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

/** The emails and texts sent about an order, from the outbox, with where each stands; ops resend from here. */
export function OrderMessages({ orderId }: { orderId: string }) {
  const backOffice = useBackOffice();
  const mayResend = may.operate(useRole());
  const { data, error, isPending } = useQuery({
    queryKey: ['orders', 'messages', orderId],
    queryFn: () => backOffice.orderMessages(orderId),
  });
  if (isPending) return <Typography>Loading the messages…</Typography>;
  if (error) return <Typography color="error">The messages could not be loaded: {error.message}</Typography>;
  if (data.length === 0)
    return <Typography color="text.secondary">No email or text was sent about this order.</Typography>;
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
              {message.subject ?? message.template}
              {message.resentFrom ? ' (resent copy)' : ''}
            </TableCell>
            <TableCell>
              {message.channel === 'sms' ? 'Text to ' : ''}
              {message.recipient}
            </TableCell>
            <TableCell>
              {statusLabel(message.status)}
              {message.lastError ? `: ${message.lastError}` : ''}
            </TableCell>
            <TableCell>{when(message.sentAt)}</TableCell>
            {mayResend && (
              <TableCell>
                {message.canResend ? (
                  <ResendButton orderId={orderId} message={message} />
                ) : (
                  <Typography variant="body2" color="text.secondary">
                    {message.status === 'pending' ? 'Waiting to send' : 'Carries a link: not resent'}
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
  const name = message.subject ?? message.template;
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
