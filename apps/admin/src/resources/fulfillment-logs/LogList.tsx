import { FULFILLMENT_LOG_KINDS, FULFILLMENT_LOG_STATUSES, statusChoices } from '@handover/contracts';
import { Typography } from '@mui/material';
import { Datagrid, DateField, DateInput, FunctionField, List, SelectInput, TextField, TextInput } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { ListActions } from '../../lists/ListExport';

/** Seed 002 phase 6: by network, status, date range and phone number; and by driver, domain and error text. */
const filters = [
  <SelectInput key="status" source="status" choices={statusChoices(FULFILLMENT_LOG_STATUSES)} alwaysOn />,
  <DateInput key="createdFrom" source="createdFrom" label="From" alwaysOn />,
  <DateInput key="createdTo" source="createdTo" label="Until" alwaysOn />,
  <TextInput key="phoneNumber" source="phoneNumber" label="Phone number" alwaysOn />,
  <TextInput key="driver" source="driver" label="Driver" />,
  <TextInput key="network" source="network" label="Network" />,
  <SelectInput key="kind" source="kind" choices={statusChoices(FULFILLMENT_LOG_KINDS)} />,
  <TextInput key="subject" source="subject" label="Domain" />,
  <TextInput key="error" source="error" label="Error text" />,
  <TextInput key="recordId" source="recordId" label="Record id" />,
];

export function LogList() {
  return (
    <List
      // A record's page opens this list filtered by its id: not remembered for the next visit.
      storeKey={false}
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      actions={<ListActions />}
      title="Fulfillment logs"
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <DateField source="createdAt" label="When" showTime />
        <TextField source="kind" sortable={false} />
        <StatusChip source="status" />
        <TextField source="driver" emptyText="—" sortable={false} />
        <FunctionField
          label="Subject"
          render={(log: LogRow) => [log.subject, log.phoneNumber, log.network].filter(Boolean).join(' · ') || '—'}
        />
        <TextField source="step" emptyText="—" sortable={false} />
        <FunctionField label="Call" render={(log: LogRow) => callText(log)} />
        <FunctionField label="What happened" render={(log: LogRow) => <Outcome log={log} />} />
      </Datagrid>
    </List>
  );
}

interface LogRow {
  subject: string | null;
  phoneNumber: string | null;
  network: string | null;
  method: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  errorMessage: string | null;
  change: string | null;
}

/** `POST 201 · 84 ms` for a provider call; a dash for the engine's own rows. */
function callText(log: LogRow): string {
  const parts = [
    [log.method, log.httpStatus].filter((v) => v !== null).join(' '),
    log.durationMs === null ? '' : `${log.durationMs} ms`,
  ];
  return parts.filter(Boolean).join(' · ') || '—';
}

/**
 * A status change as it is, an error in the error colour: one column, cut to a line that keeps the
 * table within a 1366-pixel window (the whole text in its title and on the entry's page).
 */
function Outcome({ log }: { log: LogRow }) {
  const text = log.errorMessage ?? log.change;
  if (!text) return <>—</>;
  return (
    <Typography
      variant="body2"
      color={log.errorMessage ? 'error' : undefined}
      title={text}
      sx={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
    >
      {log.errorMessage ? `Error: ${text}` : text}
    </Typography>
  );
}
