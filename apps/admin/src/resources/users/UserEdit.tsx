import { DateField, Edit, SaveButton, SelectInput, SimpleForm, TextField, Toolbar, TopToolbar } from 'react-admin';
import { DisableUserButton } from './DisableUserButton';
import { roleChoices } from './roles';

export function UserEdit() {
  return (
    <Edit
      mutationMode="pessimistic"
      actions={
        <TopToolbar>
          <DisableUserButton />
        </TopToolbar>
      }
    >
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton label="Save role" />
          </Toolbar>
        }
      >
        <TextField source="email" />
        <TextField source="name" emptyText="—" />
        <DateField source="disabledAt" label="Disabled since" showTime emptyText="active" />
        <SelectInput source="role" choices={roleChoices} helperText="Takes effect on the user's next request." />
      </SimpleForm>
    </Edit>
  );
}
