import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Collapse,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Show, useNotify, useRefresh, useShowContext } from 'react-admin';
import { JsonBlock } from '../../fields/JsonBlock';
import { useBackOffice } from '../../permissions';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  allOrders: boolean;
  owner: { email: string };
  disabledAt: Date | null;
  disabledReason: string | null;
  failingSince: Date | null;
}

/** One delivery's payload and every attempt's request headers and answer. */
function DeliveryDetail({ id }: { id: string }) {
  const backOffice = useBackOffice();
  const detail = useQuery({ queryKey: ['webhookDelivery', id], queryFn: () => backOffice.webhookDelivery(id) });
  if (!detail.data) return <Typography sx={{ p: 1 }}>Loading…</Typography>;
  return (
    <Box sx={{ p: 1 }}>
      <JsonBlock title="Payload" value={detail.data.payload} />
      {detail.data.history.map((attempt) => (
        <Box key={attempt.id} sx={{ mb: 2 }}>
          <Typography variant="subtitle2">
            {attempt.attemptedAt.toLocaleString()} ({attempt.trigger}):{' '}
            {attempt.responseStatus !== null
              ? `answered ${attempt.responseStatus} in ${attempt.durationMs} ms`
              : attempt.error}
          </Typography>
          <JsonBlock title={`Request headers ${attempt.id}`} value={attempt.requestHeaders} />
          {attempt.responseStatus !== null ? (
            <JsonBlock
              title={`Answer ${attempt.id}`}
              value={{ headers: attempt.responseHeaders, body: attempt.responseBody }}
            />
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const page = useQuery({
    queryKey: ['webhookDeliveries', endpointId, cursor],
    queryFn: () => backOffice.webhookDeliveries(endpointId, cursor),
  });
  const redeliver = useMutation({
    mutationFn: (id: string) => backOffice.redeliverWebhook(id),
    onSuccess: () => notify('Redelivery queued'),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!page.data) return <Typography sx={{ p: 2 }}>Loading the deliveries…</Typography>;
  return (
    <>
      <Table size="small" aria-label="Deliveries">
        <TableHead>
          <TableRow>
            <TableCell>Event</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Attempts</TableCell>
            <TableCell>Last answer</TableCell>
            <TableCell>Made</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {page.data.items.flatMap((d) => [
            <TableRow key={d.id}>
              <TableCell>{d.eventType}</TableCell>
              <TableCell>
                <Chip size="small" label={d.status} />
              </TableCell>
              <TableCell>{d.attempts}</TableCell>
              <TableCell>{d.lastResponseStatus ?? d.lastError ?? '—'}</TableCell>
              <TableCell>{d.createdAt.toLocaleString()}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => setOpen(open === d.id ? null : d.id)} aria-expanded={open === d.id}>
                  Request and answers
                </Button>
                <Button size="small" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d.id)}>
                  Redeliver
                </Button>
              </TableCell>
            </TableRow>,
            <TableRow key={`${d.id}-detail`}>
              <TableCell colSpan={6} sx={{ p: 0, border: open === d.id ? undefined : 0 }}>
                <Collapse in={open === d.id} unmountOnExit>
                  <DeliveryDetail id={d.id} />
                </Collapse>
              </TableCell>
            </TableRow>,
          ])}
        </TableBody>
      </Table>
      {page.data.items.length === 0 ? <Typography sx={{ p: 2 }}>No deliveries yet.</Typography> : null}
      <Box sx={{ display: 'flex', gap: 1, p: 1 }}>
        {cursor ? <Button onClick={() => setCursor(null)}>Newest</Button> : null}
        {page.data.nextCursor ? <Button onClick={() => setCursor(page.data.nextCursor)}>Older</Button> : null}
      </Box>
    </>
  );
}

function EndpointPanel() {
  const { record } = useShowContext<Endpoint>();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const toggle = useMutation({
    mutationFn: () => backOffice.setWebhookEnabled(record?.id ?? '', Boolean(record?.disabledAt)),
    onSuccess: () => refresh(),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!record) return null;
  return (
    <>
      <Card variant="outlined" sx={{ m: 2 }}>
        <CardHeader
          title={record.url}
          titleTypographyProps={{ component: 'h2', variant: 'h6', sx: { wordBreak: 'break-all' } }}
          subheader={`${record.owner.email} · ${record.allOrders ? 'every order' : "the owner's orders"} · ${record.events.join(', ')}`}
          action={
            <Button onClick={() => toggle.mutate()} disabled={toggle.isPending}>
              {record.disabledAt ? 'Turn on' : 'Turn off'}
            </Button>
          }
        />
        <CardContent>
          {record.disabledReason ? <Alert severity="warning">{record.disabledReason}</Alert> : null}
        </CardContent>
      </Card>
      <Card variant="outlined" sx={{ m: 2 }}>
        <CardHeader title="Deliveries" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
        <Deliveries endpointId={record.id} />
      </Card>
    </>
  );
}

export function WebhookShow() {
  return (
    <Show>
      <EndpointPanel />
    </Show>
  );
}
