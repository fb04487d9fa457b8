import { HOSTING_PLATFORMS, ORDER_AUTOMATION_STATUSES, statusChoices } from '@handover/contracts';
import {
  Datagrid,
  DateField,
  FunctionField,
  Link,
  List,
  NumberField,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { RetryWorkButton } from '../domain-transfers/RetryWorkButton';

const filters = [
  <SelectInput key="status" source="status" alwaysOn choices={statusChoices(ORDER_AUTOMATION_STATUSES)} />,
  <SelectInput key="platform" source="platform" alwaysOn choices={statusChoices(HOSTING_PLATFORMS)} />,
  <TextInput key="domain" source="domain" label="Domain" alwaysOn />,
];

interface Job {
  orderId: string;
  orderCode: string;
  recordId: string;
}

/** Seed 001's order_automations: each Mailin.ai job creating a domain's mailboxes, and how it ended. */
export function MailboxJobList() {
  return (
    <List filters={filters} exporter={false} title="Mailbox jobs" sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="domain" sortable={false} />
        <FunctionField label="Order" render={(j: Job) => <Link to={`/orders/${j.orderId}/show`}>{j.orderCode}</Link>} />
        <TextField source="platform" sortable={false} />
        <StatusChip source="status" label="Status" />
        <NumberField source="mailboxCount" label="Mailboxes" sortable={false} />
        <TextField source="jobUuid" label="Mailin.ai job" sortable={false} />
        <TextField source="errorMessage" label="Error" sortable={false} />
        <FunctionField
          label="Delivery"
          render={(j: Job) => <Link to={`/fulfillment-records/${j.recordId}/show`}>logs and steps</Link>}
        />
        <DateField source="createdAt" label="Started" showTime sortable={false} />
        <RetryWorkButton kind="automation" />
      </Datagrid>
    </List>
  );
}
