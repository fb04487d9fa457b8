import { useQuery } from '@tanstack/react-query';
import { Datagrid, DateField, List, NumberField, SelectInput, TextField } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { may, useBackOffice, useRole } from '../../permissions';
import { AcknowledgeButton } from './AcknowledgeButton';

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
      key="open"
      source="open"
      label="State"
      alwaysOn
      choices={[
        { id: 'open', name: 'Open' },
        { id: 'acknowledged', name: 'Acknowledged' },
      ]}
    />,
    <SelectInput
      key="severity"
      source="severity"
      choices={['info', 'warning', 'critical'].map((id) => ({ id, name: id }))}
    />,
  ];
}

/** Seed 000's admin_alerts: low inventory, fulfillment failures, rollback issues. */
export function AlertList() {
  const role = useRole();
  return (
    <List filters={useFilters()} exporter={false} sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="Raised" showTime sortable={false} />
        <TextField source="type" sortable={false} />
        <StatusChip source="severity" />
        <TextField source="message" sortable={false} />
        <NumberField source="occurrences" label="Seen" sortable={false} />
        <DateField source="lastSeenAt" label="Last seen" showTime emptyText="—" sortable={false} />
        <DateField source="acknowledgedAt" label="Acknowledged" showTime emptyText="open" sortable={false} />
        <DateField source="resolvedAt" label="Resolved" showTime emptyText="still holds" sortable={false} />
        {may.operate(role) && <AcknowledgeButton />}
      </Datagrid>
    </List>
  );
}
