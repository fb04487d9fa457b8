import {
  BooleanField,
  CreateButton,
  Datagrid,
  FunctionField,
  List,
  TextField,
  TextInput,
  TopToolbar,
} from 'react-admin';
import { formatMoney } from '../../fields/money';
import { may, useRole } from '../../permissions';

const filters = [<TextInput key="q" source="q" label="Name or slug" alwaysOn />];

function Actions() {
  const role = useRole();
  return <TopToolbar>{may.administer(role) && <CreateButton />}</TopToolbar>;
}

export function ProductList() {
  return (
    <List filters={filters} actions={<Actions />} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="name" sortable={false} />
        <TextField source="deliveryModel" label="Delivery model" sortable={false} />
        <TextField source="fulfillmentDriver" label="Driver" sortable={false} />
        <FunctionField
          label="Price"
          render={(record: { priceMinor: number; currency: string }) => formatMoney(record.priceMinor, record.currency)}
        />
        <BooleanField source="isActive" label="Active" sortable={false} />
        <BooleanField source="isRecurring" label="Recurring" sortable={false} />
      </Datagrid>
    </List>
  );
}
