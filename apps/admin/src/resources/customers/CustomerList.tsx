import { Datagrid, DateField, DateInput, List, TextField, TextInput } from 'react-admin';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { ListActions } from '../../lists/ListExport';

const filters = [
  <TextInput key="q" source="q" label="Email or name" alwaysOn />,
  <DateInput key="createdFrom" source="createdFrom" label="Joined from" />,
  <DateInput key="createdTo" source="createdTo" label="Joined until" />,
];

/** Customers, newest first, searched by part of their email or name. */
export function CustomerList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      actions={<ListActions />}
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="email" sortable={false} />
        <TextField source="name" emptyText="—" sortable={false} />
        <TextField source="phone" emptyText="—" sortable={false} />
        <TextField source="company" emptyText="—" sortable={false} />
        <DateField source="emailVerifiedAt" label="Email confirmed" emptyText="not yet" sortable={false} />
        <DateField source="lastLoginAt" label="Last sign-in" showTime emptyText="never" sortable={false} />
        <DateField source="createdAt" label="Joined" showTime />
      </Datagrid>
    </List>
  );
}
