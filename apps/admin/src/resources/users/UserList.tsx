import { Datagrid, DateField, FilterButton, List, SelectInput, TextField, TextInput, TopToolbar } from 'react-admin';
import { InviteStaffButton } from './InviteStaffButton';
import { roleChoices } from './roles';
import { StaffInvites } from './StaffInvites';

const filters = [
  <TextInput key="q" source="q" label="Search email or name" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} />,
];

export function UserList() {
  return (
    <>
      <List
        filters={filters}
        sort={{ field: 'createdAt', order: 'DESC' }}
        exporter={false}
        actions={
          <TopToolbar>
            <FilterButton />
            <InviteStaffButton />
          </TopToolbar>
        }
      >
        <Datagrid bulkActionButtons={false} rowClick="edit">
          <TextField source="email" />
          <TextField source="name" emptyText="—" />
          <TextField source="role" />
          <DateField source="lastLoginAt" label="Last sign-in" showTime emptyText="never" />
          <DateField source="disabledAt" label="Disabled" emptyText="—" />
          <DateField source="createdAt" label="Joined" />
        </Datagrid>
      </List>
      <StaffInvites />
    </>
  );
}
