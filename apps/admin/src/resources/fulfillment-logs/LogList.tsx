import { FULFILLMENT_LOG_KINDS, FULFILLMENT_LOG_STATUSES, statusChoices } from '@handover/contracts';
import { Datagrid, DateField, DateInput, List, NumberField, SelectInput, TextField, TextInput } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { KeysetPagination } from '../../lists/KeysetPagination';

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
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      title="Fulfillment logs"
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <DateField source="createdAt" label="When" showTime />
        <TextField source="kind" sortable={false} />
        <StatusChip source="status" />
        <TextField source="driver" emptyText="—" sortable={false} />
        <TextField source="network" emptyText="—" sortable={false} />
        <TextField source="subject" label="Subject" emptyText="—" sortable={false} />
        <TextField source="phoneNumber" label="Phone" emptyText="—" sortable={false} />
        <TextField source="step" emptyText="—" sortable={false} />
        <TextField source="method" emptyText="—" sortable={false} />
        <NumberField source="httpStatus" label="HTTP" emptyText="—" sortable={false} />
        <NumberField source="durationMs" label="ms" emptyText="—" sortable={false} />
        <TextField source="errorMessage" label="Error" emptyText="—" sortable={false} />
      </Datagrid>
    </List>
  );
}
