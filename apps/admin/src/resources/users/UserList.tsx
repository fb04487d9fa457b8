import { Datagrid, DateField, List, SelectInput, TextField, TextInput } from 'react-admin';
import { roleChoices } from './roles';

const filters = [
  <TextInput key="q" source="q" label="Search email or name" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} />,
];

export function UserList() {
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick="edit">
        <TextField source="email" />
        <TextField source="name" emptyText="—" />
        <TextField source="role" />
        <DateField source="lastLoginAt" label="Last sign-in" showTime emptyText="never" />
        <DateField source="disabledAt" label="Disabled" emptyText="—" />
        <DateField source="createdAt" label="Joined" />
      </Datagrid>
    </List>
  );
}
