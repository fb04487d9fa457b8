import { useQuery } from '@tanstack/react-query';
import { Datagrid, DateField, List, NumberField, SelectInput, TextField } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { may, useBackOffice, useRole } from '../../permissions';
import { AcknowledgeButton } from './AcknowledgeButton';
import { QuarantineLink } from './QuarantineLink';

function useFilters() {
  const backOffice = useBackOffice();
  const types = useQuery({ queryKey: ['backOffice.alertTypes'], queryFn: () => backOffice.alertTypes() });
  return [
    <SelectInput
      key="type"
      source="type"
      alwaysOn
      choices={(types.data ?? []).map((id) => ({ id, name: id.replaceAll('_', ' ') }))}
      isPending={types.isPending}
    />,
    <SelectInput
      key="state"
      source="state"
      label="State"
      alwaysOn
      choices={[
        { id: 'open', name: 'Open' },
        { id: 'acknowledged', name: 'Acknowledged' },
        { id: 'resolved', name: 'Resolved' },
        { id: 'unresolved', name: 'Not resolved' },
      ]}
    />,
    <SelectInput
      key="severity"
      source="severity"
      choices={['info', 'warning', 'critical'].map((id) => ({ id, name: id }))}
    />,
  ];
}

/** Alerts with their state (open, acknowledged, resolved); a row opens its history. */
export function AlertList() {
  const role = useRole();
  return (
    <List filters={useFilters()} exporter={false} sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick="show">
        <DateField source="createdAt" label="Raised" showTime sortable={false} />
        <TextField source="type" sortable={false} />
        <StatusChip source="state" label="State" />
        <StatusChip source="severity" />
        <TextField source="message" sortable={false} />
        <NumberField source="occurrences" label="Seen" sortable={false} />
        <DateField source="lastSeenAt" label="Last seen" showTime emptyText="—" sortable={false} />
        <DateField source="acknowledgedAt" label="Acknowledged" showTime emptyText="open" sortable={false} />
        <DateField source="resolvedAt" label="Resolved" showTime emptyText="still holds" sortable={false} />
        {may.operate(role) && <AcknowledgeButton />}
        <QuarantineLink />
      </Datagrid>
    </List>
  );
}
