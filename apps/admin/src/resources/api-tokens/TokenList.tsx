import {
  ChipField,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TopToolbar,
} from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { RevokeTokenButton } from './RevokeTokenButton';

const filters = [
  <SelectInput
    key="kind"
    source="kind"
    alwaysOn
    choices={[
      { id: 'personal', name: 'Personal' },
      { id: 'service', name: 'Service' },
    ]}
  />,
];

/** Every API token: who owns it, what it may do, when and from where it was last used; revoke any. */
export function TokenList() {
  return (
    <List
      filters={filters}
      exporter={false}
      actions={
        <TopToolbar>
          <CreateButton label="New service token" />
        </TopToolbar>
      }
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="name" sortable={false} />
        <ChipField source="kind" sortable={false} />
        <TextField source="owner.email" label="Owner" sortable={false} />
        <FunctionField label="Scopes" render={(t: { scopes: string[] }) => t.scopes.join(', ')} />
        <StatusChip source="state" />
        <DateField source="lastUsedAt" label="Last used" showTime emptyText="never" sortable={false} />
        <TextField source="lastUsedIp" label="From" emptyText="—" sortable={false} />
        <DateField source="expiresAt" label="Expires" sortable={false} />
        <RevokeTokenButton />
      </Datagrid>
    </List>
  );
}
