import { BooleanField, Datagrid, FunctionField, List, TextField } from 'react-admin';

const money = (minor: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);

export function ProductList() {
  return (
    <List sort={{ field: 'name', order: 'ASC' }} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="name" />
        <TextField source="deliveryModel" label="Delivery model" />
        <TextField source="driver" />
        <FunctionField
          label="Price"
          render={(record: { priceMinor: number; currency: string }) => money(record.priceMinor, record.currency)}
        />
        <BooleanField source="isRecurring" label="Recurring" />
      </Datagrid>
    </List>
  );
}
