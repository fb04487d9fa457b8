import type { RefundOrderInput } from '@handover/contracts';
import UndoIcon from '@mui/icons-material/Undo';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, useNotify, useRefresh } from 'react-admin';
import { formatMoney, parseMoney, toMajorText } from '../../fields/money';
import { useBackOffice } from '../../permissions';
import { type RefundFormErrors, type RefundFormValues, toRefundInput } from './refundForm';

export interface RefundablePayment {
  id: string;
  gateway: string;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
}

interface RefundProps {
  orderId: string;
  payment: RefundablePayment;
  /** What is left of this payment to refund. */
  refundable: number;
  /** What is left of the whole order: a refund of all of it cancels the fulfillment by default. */
  orderRefundable: number;
}

/** Finance and admins: a refund of (part of) one payment, checked, confirmed, then sent. */
export function RefundButton(props: RefundProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        startIcon={<UndoIcon />}
        onClick={() => setOpen(true)}
        aria-label={`Refund ${props.payment.gateway} payment`}
      >
        Refund
      </Button>
      {open && <RefundDialog {...props} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The server's refusal of one field (amountMinor), shown beside the amount. */
function serverAmountError(error: unknown): string | undefined {
  if (!(error instanceof HttpError)) return undefined;
  const errors = (error.body as { errors?: Record<string, string> } | null)?.errors;
  return errors?.amountMinor;
}

function RefundDialog({ orderId, payment, refundable, orderRefundable, onClose }: RefundProps & { onClose(): void }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const walletOnly = payment.gateway === 'wallet';
  const [values, setValues] = useState<RefundFormValues>({
    amount: toMajorText(refundable, payment.currency),
    toWallet: walletOnly,
    reason: '',
  });
  const [errors, setErrors] = useState<RefundFormErrors>({});
  const [confirming, setConfirming] = useState<RefundOrderInput | null>(null);
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const typedMinor = parseMoney(values.amount, payment.currency);
  const cancelsByDefault = typedMinor !== null && typedMinor === orderRefundable;
  const set = (change: Partial<RefundFormValues>) => {
    setValues((current) => ({ ...current, ...change }));
    setErrors({});
  };

  const refund = useMutation({
    mutationFn: (input: RefundOrderInput) => backOffice.refundOrder(input),
    onSuccess: (done) => {
      const amount = money(done.amountMinor);
      const where = done.destination === 'wallet' ? "the customer's wallet" : done.gateway;
      if (done.status === 'failed') {
        notify(`The refund of ${amount} failed: ${done.lastError ?? 'the gateway refused it'}`, { type: 'error' });
      } else if (done.status === 'pending') {
        notify(`Refund of ${amount} sent to ${where}; waiting for it to confirm`, { type: 'info' });
      } else {
        notify(`Refunded ${amount} to ${where}`, { type: 'success' });
      }
      refresh();
      onClose();
    },
    onError: (error: Error) => {
      setConfirming(null);
      const amount = serverAmountError(error);
      if (amount) setErrors({ amount });
      notify(error.message, { type: 'error' });
    },
  });

  const review = () => {
    const checked = toRefundInput(orderId, payment, refundable, values);
    if (checked.errors) setErrors(checked.errors);
    else setConfirming(checked.input);
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={`refund-${payment.id}`} fullWidth>
      <DialogTitle id={`refund-${payment.id}`}>Refund the {payment.gateway} payment</DialogTitle>
      {confirming ? (
        <>
          <DialogContent>
            <DialogContentText>
              Refund {money(confirming.amountMinor ?? refundable)}{' '}
              {confirming.toWallet || walletOnly ? "to the customer's wallet" : `through ${payment.gateway}`}
              {(confirming.cancelFulfillment ?? cancelsByDefault) ? ', and cancel the fulfillment' : ''}? The customer
              is told by email; money sent back cannot be taken back.
            </DialogContentText>
            <DialogContentText sx={{ mt: 1 }}>Reason: {confirming.reason}</DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(null)} disabled={refund.isPending}>
              Back
            </Button>
            <Button color="error" onClick={() => refund.mutate(confirming)} disabled={refund.isPending}>
              Confirm refund
            </Button>
          </DialogActions>
        </>
      ) : (
        <>
          <DialogContent>
            <DialogContentText>
              Paid {money(payment.amountMinor)}; refunded {money(payment.refundedMinor)}; at most {money(refundable)}{' '}
              can go back now.
            </DialogContentText>
            <TextField
              fullWidth
              margin="normal"
              label={`Amount (${payment.currency})`}
              value={values.amount}
              onChange={(event) => set({ amount: event.target.value })}
              error={Boolean(errors.amount)}
              helperText={errors.amount ?? `Up to ${money(refundable)}`}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            />
            <FormLabel id={`destination-${payment.id}`} sx={{ mt: 1, display: 'block' }}>
              Send the money
            </FormLabel>
            <RadioGroup
              aria-labelledby={`destination-${payment.id}`}
              value={values.toWallet ? 'wallet' : 'gateway'}
              onChange={(event) => set({ toWallet: event.target.value === 'wallet' })}
            >
              <FormControlLabel
                value="gateway"
                control={<Radio />}
                label={`Back through ${payment.gateway}`}
                disabled={walletOnly}
              />
              <FormControlLabel value="wallet" control={<Radio />} label="To the customer's wallet" />
            </RadioGroup>
            <TextField
              fullWidth
              multiline
              minRows={2}
              margin="normal"
              label="Reason"
              required
              value={values.reason}
              onChange={(event) => set({ reason: event.target.value })}
              error={Boolean(errors.reason)}
              helperText={errors.reason ?? 'Kept with the refund and in the activity log, for the books.'}
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={values.cancelFulfillment ?? cancelsByDefault}
                  onChange={(event) => set({ cancelFulfillment: event.target.checked })}
                />
              }
              label="Cancel the fulfillment (stop or undo the delivery)"
            />
            <FormHelperText>Ticked by default only when this refund leaves nothing paid on the order.</FormHelperText>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>Keep the money</Button>
            <Button color="error" onClick={review}>
              Refund
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
