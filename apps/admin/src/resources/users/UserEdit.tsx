import { Edit, SaveButton, SelectInput, SimpleForm, TextField, Toolbar } from 'react-admin';
import { roleChoices } from './roles';

export function UserEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton label="Save role" />
          </Toolbar>
        }
      >
        <TextField source="email" />
        <TextField source="name" emptyText="—" />
        <SelectInput source="role" choices={roleChoices} helperText="Takes effect on the user's next request." />
      </SimpleForm>
    </Edit>
  );
}
