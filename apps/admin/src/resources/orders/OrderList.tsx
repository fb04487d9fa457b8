import type { MouseEvent } from 'react';
import {
  Datagrid,
  DateField,
  DateInput,
  FunctionField,
  Link,
  List,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { formatMoney } from '../../fields/money';
import { StatusChip } from '../../fields/StatusChip';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { ListActions } from '../../lists/ListExport';
import { orderFulfillmentChoices, orderStatusChoices } from './statuses';

const filters = [
  <TextInput key="q" source="q" label="Order code, email, phone or domain" alwaysOn />,
  <SelectInput key="status" source="status" label="Payment status" choices={orderStatusChoices} />,
  <SelectInput
    key="fulfillmentStatus"
    source="fulfillmentStatus"
    label="Fulfillment"
    choices={orderFulfillmentChoices}
  />,
  <DateInput key="createdFrom" source="createdFrom" label="Placed from" />,
  <DateInput key="createdTo" source="createdTo" label="Placed until" />,
];

export function OrderList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      actions={<ListActions />}
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="orderCode" label="Order" sortable={false} />
        <FunctionField
          label="Customer"
          render={(o: { userId: string; email: string }) => (
            <Link to={`/customers/${o.userId}/show`} onClick={(event: MouseEvent) => event.stopPropagation()}>
              {o.email}
            </Link>
          )}
        />
        <TextField source="phone" emptyText="—" sortable={false} />
        <StatusChip source="status" label="Payment" />
        <StatusChip source="fulfillmentStatus" label="Fulfillment" />
        <FunctionField
          label="Amount"
          render={(o: { amountMinor: number; currency: string }) => formatMoney(o.amountMinor, o.currency)}
        />
        <TextField source="paymentGateway" label="Gateway" emptyText="—" sortable={false} />
        <DateField source="createdAt" label="Placed" showTime />
      </Datagrid>
    </List>
  );
}
