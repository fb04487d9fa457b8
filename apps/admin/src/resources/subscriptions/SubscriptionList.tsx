import { GATEWAY_LABELS, PAYMENT_GATEWAYS, SUBSCRIPTION_STATUSES, statusChoices } from '@handover/contracts';
import { BooleanField, Datagrid, DateField, FunctionField, List, SelectInput, TextField, TextInput } from 'react-admin';
import { formatMoney } from '../../fields/money';
import { StatusChip } from '../../fields/StatusChip';
import { ListActions } from '../../lists/ListExport';

const filters = [
  <TextInput key="q" source="q" label="Order, email or gateway id" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices(SUBSCRIPTION_STATUSES)} alwaysOn />,
  <SelectInput
    key="gateway"
    source="gateway"
    choices={PAYMENT_GATEWAYS.map((id) => ({ id, name: GATEWAY_LABELS[id] }))}
  />,
];

interface Row {
  amountMinor: number;
  currency: string;
  interval: string | null;
  orderId: string;
}

/** Seed 003: every subscription, by status and gateway; a failed renewal shows its grace period's end. */
export function SubscriptionList() {
  return (
    <List filters={filters} exporter={false} actions={<ListActions />} sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => `/orders/${(record as unknown as Row).orderId}/show`}
      >
        <TextField source="orderCode" label="Order" sortable={false} />
        <TextField source="customerEmail" label="Customer" sortable={false} />
        <TextField source="productName" label="Product" sortable={false} />
        <StatusChip source="status" />
        <FunctionField
          label="Amount"
          render={(row: Row) =>
            `${formatMoney(row.amountMinor, row.currency)}${row.interval ? ` / ${row.interval}` : ''}`
          }
        />
        <TextField source="gateway" sortable={false} />
        <TextField source="gatewaySubscriptionId" label="Gateway id" sortable={false} />
        <DateField source="nextRenewalAt" label="Next renewal" emptyText="—" sortable={false} />
        <DateField source="graceEndsAt" label="Grace ends" showTime emptyText="—" sortable={false} />
        <BooleanField source="cancelAtPeriodEnd" label="Ends at period end" sortable={false} />
        <TextField source="lastPaymentError" label="Last payment error" emptyText="—" sortable={false} />
      </Datagrid>
    </List>
  );
}
