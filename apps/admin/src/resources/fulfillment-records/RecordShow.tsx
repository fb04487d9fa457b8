import {
  Card,
  CardContent,
  CardHeader,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Link, Show, useShowContext } from 'react-admin';
import { useAdminDriverViews } from '../../drivers';
import type { StaffRecord } from '../../drivers/types';
import { DomainName } from '../../fields/DomainName';
import { when } from '../../fields/dates';
import { JsonBlock } from '../../fields/JsonBlock';
import { may, useRole } from '../../permissions';
import { RerunFromStepButton } from './RerunFromStepButton';

function RecordDetail() {
  const role = useRole();
  const { record, isPending, error } = useShowContext<StaffRecord>();
  // The list's row stands in while the full record loads; it has no journal yet.
  if (isPending || (record && !record.steps)) return <Typography sx={{ p: 2 }}>Loading the record…</Typography>;
  if (error || !record)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        This record could not be loaded.
      </Typography>
    );
  const logsLink = `/fulfillment-logs?filter=${encodeURIComponent(JSON.stringify({ recordId: record.id }))}`;
  return (
    <Grid container spacing={2} sx={{ p: 2 }}>
      <Grid size={{ xs: 12, md: 5 }}>
        <Card variant="outlined">
          <CardHeader
            title={record.subject ? <DomainName name={record.subject} /> : 'Fulfillment record'}
            titleTypographyProps={{ component: 'h2' }}
          />
          <CardContent>
            <Typography>
              Order: <Link to={`/orders/${record.orderId}/show`}>{record.orderCode}</Link>
            </Typography>
            <Typography>Driver: {record.driver}</Typography>
            <Typography>
              Status: <strong data-testid="record-status">{record.status}</strong>
              {record.statusReason ? ` — ${record.statusReason}` : ''}
            </Typography>
            <Typography>
              Attempts: {record.attempts} of {record.maxAttempts}
            </Typography>
            <Typography>Last error: {record.lastError ?? '—'}</Typography>
            <Typography>Provider reference: {record.externalReferenceId ?? '—'}</Typography>
            <Typography>Next attempt: {when(record.nextAttemptAt)}</Typography>
            <Typography sx={{ mt: 1 }}>
              <Link to={logsLink}>Logs and API responses of this record</Link>
            </Typography>
          </CardContent>
        </Card>
        <DriverResult record={record} />
        <JsonBlock title="Order form values (redacted)" value={record.payloadSnapshot} />
        <JsonBlock title="Result shown to the customer" value={record.result} />
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Card variant="outlined">
          <CardHeader title="Step journal" titleTypographyProps={{ component: 'h2' }} />
          <CardContent>
            {record.steps.length === 0 ? (
              <Typography color="text.secondary">No step has run yet.</Typography>
            ) : (
              <Table size="small" aria-label="Step journal">
                <TableHead>
                  <TableRow>
                    <TableCell>Step</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>Attempts</TableCell>
                    <TableCell>Error</TableCell>
                    <TableCell>Finished</TableCell>
                    {may.operate(role) && <TableCell />}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {record.steps.map((step) => (
                    <TableRow key={step.name}>
                      <TableCell>{step.name}</TableCell>
                      <TableCell>{step.status}</TableCell>
                      <TableCell>{step.attempts}</TableCell>
                      <TableCell>{step.error ?? '—'}</TableCell>
                      <TableCell>{when(step.finishedAt)}</TableCell>
                      {may.operate(role) && (
                        <TableCell>
                          {step.rerun.offered ? (
                            <RerunFromStepButton recordId={record.id} step={step.name} effect={step.rerun.effect} />
                          ) : (
                            <Typography variant="caption" color="text.secondary">
                              {step.rerun.effect}
                            </Typography>
                          )}
                        </TableCell>
                      )}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        {record.tasks.length > 0 && (
          <Card variant="outlined" sx={{ mt: 2 }}>
            <CardHeader title="Manual tasks" titleTypographyProps={{ component: 'h2' }} />
            <CardContent>
              {record.tasks.map((task) => (
                <Typography key={task.id}>
                  {task.title} ({task.step}): {task.status}, due {when(task.dueAt)}
                </Typography>
              ))}
            </CardContent>
          </Card>
        )}
      </Grid>
    </Grid>
  );
}

/** What the record's driver shows staff of its delivery, when it has a view for that. */
function DriverResult({ record }: { record: StaffRecord }) {
  const views = useAdminDriverViews(record.driver);
  const Result = views.data?.RecordResult;
  return Result ? <Result record={record} /> : null;
}

export function RecordShow() {
  return (
    <Show component="div" title="Fulfillment record">
      <RecordDetail />
    </Show>
  );
}
