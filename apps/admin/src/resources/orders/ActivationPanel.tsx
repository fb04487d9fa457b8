import { ACTIVATION_STATUS_TEXT, type ActivationStatus, describeMoment } from '@handover/contracts';
import { Alert, Button, Chip, Stack, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { Link, useNotify, useRefresh } from 'react-admin';
import { when } from '../../fields/dates';
import { may, useBackOffice, useRole } from '../../permissions';

/** Seed 004 5a's activation fields as the order page receives them (core's ActivationView). */
export interface OrderActivation {
  type: string;
  at: Date | null;
  timeZone: string | null;
  preflightAt: Date | null;
  startedAt: Date | null;
  status: ActivationStatus;
  preflight: { checkedAt: Date | null; problems: { check: string; detail: string; problem: string }[] };
  error: { message: string; code: string | null; step: string | null; at: Date | null; recordId: string } | null;
}

const TONE = { ok: 'success', busy: 'info', wait: 'warning', bad: 'error', neutral: 'default' } as const;

/**
 * The activation of an approved order: its type and date (in its zone, and the reader's), its
 * status (Not started → Activating → Activated / Failed) with a failure's error fields, the
 * preflight's findings, and for ops "Activate now" and "Check now".
 */
export function ActivationPanel({ orderId, activation }: { orderId: string; activation: OrderActivation }) {
  const backOffice = useBackOffice();
  const role = useRole();
  const notify = useNotify();
  const refresh = useRefresh();
  const done = (message: string) => () => {
    notify(message, { type: 'success' });
    refresh();
  };
  const failed = (error: Error) => notify(error.message, { type: 'error' });
  const activateNow = useMutation({
    mutationFn: () => backOffice.activateNow(orderId),
    onSuccess: done('Activation started'),
    onError: failed,
  });
  const checkNow = useMutation({
    mutationFn: () => backOffice.checkActivationNow(orderId),
    onSuccess: done('The activation checks are running; refresh in a moment'),
    onError: failed,
  });
  const text = ACTIVATION_STATUS_TEXT[activation.status];
  const waiting = activation.type === 'scheduled' && activation.status === 'not_started' && !activation.startedAt;
  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography>Activation status:</Typography>
        <Chip size="small" label={text.label} color={TONE[text.tone]} />
      </Stack>
      <Typography>
        Type: {activation.type === 'scheduled' ? 'scheduled' : 'immediate'}
        {activation.at && activation.timeZone
          ? `; ${describeMoment(new Date(activation.at), activation.timeZone)} (your time: ${when(activation.at)})`
          : ''}
      </Typography>
      {activation.startedAt && <Typography>Started: {when(activation.startedAt)}</Typography>}
      {activation.type === 'scheduled' && !activation.startedAt && (
        <Typography>
          Preflight:{' '}
          {activation.preflight.checkedAt
            ? `checked ${when(activation.preflight.checkedAt)}`
            : `due ${when(activation.preflightAt)}`}
        </Typography>
      )}
      {activation.preflight.problems.length > 0 && !activation.startedAt && (
        <Alert severity="warning">
          Missing before activation: {activation.preflight.problems.map((problem) => problem.detail).join('; ')}
        </Alert>
      )}
      {activation.error && (
        <Alert severity="error">
          <Typography>Error: {activation.error.message}</Typography>
          <Typography>
            Code: {activation.error.code ?? '—'}; step: {activation.error.step ?? '—'}; at {when(activation.error.at)}
          </Typography>
          <Link to={`/fulfillment-records/${activation.error.recordId}/show`}>Open the record to retry it</Link>
        </Alert>
      )}
      {waiting && may.operate(role) && (
        <Stack direction="row" spacing={1}>
          <Button variant="contained" disabled={activateNow.isPending} onClick={() => activateNow.mutate()}>
            Activate now
          </Button>
          <Button variant="outlined" disabled={checkNow.isPending} onClick={() => checkNow.mutate()}>
            Check now
          </Button>
        </Stack>
      )}
    </Stack>
  );
}
