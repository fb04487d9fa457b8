import { Typography } from '@mui/material';
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
        <FunctionField
          label="In the catalog"
          render={(record: { orderable: boolean; availability: string }) => (
            <Typography variant="body2" color={record.orderable ? 'text.primary' : 'error'}>
              {record.availability}
            </Typography>
          )}
        />
        <BooleanField source="isRecurring" label="Recurring" sortable={false} />
      </Datagrid>
    </List>
  );
}
