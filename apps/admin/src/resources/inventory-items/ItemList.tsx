import { Datagrid, DateField, FunctionField, List, SelectInput, TextField, TextInput } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { ListActions } from '../../lists/ListExport';
import { may, useRole } from '../../permissions';
import { RevealSecretButton } from './RevealSecretButton';

const filters = [
  <TextInput key="q" source="q" label="Account, customer or domain" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    choices={['available', 'reserved', 'assigned', 'depleted', 'quarantined'].map((id) => ({ id, name: id }))}
  />,
];

/** Accounts in FIFO order. Passwords never come with the list; an admin reveals one at a time. */
export function ItemList() {
  const role = useRole();
  return (
    <List storeKey={false} filters={filters} exporter={false} actions={<ListActions />} title="Inventory accounts">
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="poolName" label="Pool" sortable={false} />
        <TextField source="email" label="Account" sortable={false} />
        <FunctionField label="Password" render={() => '••••••••'} />
        <StatusChip source="status" />
        <TextField source="customerEmail" label="Customer" emptyText="—" sortable={false} />
        <TextField source="domain" emptyText="—" sortable={false} />
        <TextField source="notes" emptyText="—" sortable={false} />
        <DateField source="createdAt" label="Added" sortable={false} />
        {may.administer(role) && <RevealSecretButton />}
      </Datagrid>
    </List>
  );
}
