import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import { Link, Show, useShowContext } from 'react-admin';
import { JsonBlock } from '../../fields/JsonBlock';

interface LogEntry {
  id: number;
  recordId: string | null;
  orderId: string | null;
  kind: string;
  step: string | null;
  status: string;
  attemptNumber: number;
  maxAttempts: number | null;
  method: string | null;
  url: string | null;
  request: unknown;
  response: unknown;
  httpStatus: number | null;
  durationMs: number | null;
  errorMessage: string | null;
  change: string | null;
  createdAt: Date;
}

/** The API-response viewer: one provider call as it was made and answered, secrets redacted. */
function ApiResponseViewer() {
  const { record, isPending, error } = useShowContext<LogEntry>();
  // The list's row stands in while the entry loads; it has no bodies yet.
  if (isPending || (record && !('request' in record)))
    return <Typography sx={{ p: 2 }}>Loading the log entry…</Typography>;
  if (error || !record)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        This log entry could not be loaded.
      </Typography>
    );
  return (
    <Card variant="outlined" sx={{ m: 2 }}>
      <CardHeader
        title={record.method && record.url ? `${record.method} ${record.url}` : `${record.kind} ${record.step ?? ''}`}
        titleTypographyProps={{ component: 'h2', variant: 'h6', sx: { wordBreak: 'break-all' } }}
        subheader={new Date(record.createdAt).toLocaleString()}
      />
      <CardContent>
        <Typography>
          Status: <strong>{record.status}</strong>; HTTP {record.httpStatus ?? '—'}; {record.durationMs ?? '—'} ms
        </Typography>
        <Typography>
          Step {record.step ?? '—'}, attempt {record.attemptNumber}
          {record.maxAttempts ? ` of ${record.maxAttempts}` : ''}
        </Typography>
        {record.change && <Typography>Status changed: {record.change}</Typography>}
        {record.errorMessage && <Typography color="error">Error: {record.errorMessage}</Typography>}
        {record.recordId && (
          <Typography sx={{ mb: 2 }}>
            <Link to={`/fulfillment-records/${record.recordId}/show`}>Open the fulfillment record</Link>
          </Typography>
        )}
        <JsonBlock title="Request" value={record.request} />
        <JsonBlock title="Response" value={record.response} />
        <Typography variant="body2" color="text.secondary">
          Passwords, tokens, keys and signatures are replaced with [redacted] when logged and again when shown.
        </Typography>
      </CardContent>
    </Card>
  );
}

export function LogShow() {
  return (
    <Show component="div" title="API response">
      <ApiResponseViewer />
    </Show>
  );
}
