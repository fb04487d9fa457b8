import { Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import {
  DateField,
  FunctionField,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
} from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { may, useRole } from '../../permissions';
import { AcknowledgeButton } from './AcknowledgeButton';
import { QuarantineLink } from './QuarantineLink';

interface HistoryEntry {
  id: number;
  kind: 'raised' | 'repeated' | 'notified' | 'resolved' | 'acknowledged';
  detail: string;
  at: string | Date;
}

const WHAT: Record<HistoryEntry['kind'], string> = {
  raised: 'Opened',
  repeated: 'Seen again, with a new message',
  notified: 'Delivered to ops',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

function History() {
  // The list's row stands in while the alert loads: it has no history yet.
  const alert = useRecordContext<{ history?: HistoryEntry[] }>();
  if (!alert?.history) return null;
  return (
    <Table size="small" aria-label="Alert history">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>What</TableCell>
          <TableCell>Detail</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {alert.history.map((entry) => (
          <TableRow key={`${entry.kind}-${entry.id}`}>
            <TableCell>{new Date(entry.at).toLocaleString()}</TableCell>
            <TableCell>{WHAT[entry.kind]}</TableCell>
            <TableCell>{entry.detail || '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One alert: its state, how often the rule saw it while open, where it was delivered, and its history. */
export function AlertShow() {
  const role = useRole();
  return (
    <Show>
      <SimpleShowLayout>
        <Stack direction="row" spacing={1} alignItems="center">
          <StatusChip source="state" />
          <StatusChip source="severity" />
          {may.operate(role) && <AcknowledgeButton />}
          <QuarantineLink />
        </Stack>
        <TextField source="type" />
        <TextField source="message" />
        <DateField source="createdAt" label="Opened" showTime />
        <NumberField source="occurrences" label="Times seen while open (deduplicated)" />
        <DateField source="lastSeenAt" label="Last seen" showTime emptyText="—" />
        <DateField source="notifiedAt" label="Delivered to ops" showTime emptyText="not yet" />
        <DateField source="acknowledgedAt" label="Acknowledged" showTime emptyText="—" />
        <DateField source="resolvedAt" label="Resolved" showTime emptyText="still holds" />
        <DateField source="resolutionNotifiedAt" label="Resolution delivered" showTime emptyText="—" />
        <FunctionField label="History" render={() => <History />} />
        <Typography variant="caption">What each alert means and what to do: docs/runbook.md</Typography>
      </SimpleShowLayout>
    </Show>
  );
}
