import { Edit, minValue, NumberInput, required, SimpleForm, TextField } from 'react-admin';

export function PoolEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="show">
      <SimpleForm>
        <TextField source="name" />
        <NumberInput
          source="lowStockThreshold"
          label="Low-stock threshold"
          validate={[required(), minValue(0)]}
          helperText="An alert is raised when fewer accounts than this are available."
        />
      </SimpleForm>
    </Edit>
  );
}
