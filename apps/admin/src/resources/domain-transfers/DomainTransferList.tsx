import { DOMAIN_TRANSFER_STATUSES, HOSTING_PLATFORMS, NAME_SERVER_STATUSES, statusChoices } from '@handover/contracts';
import { Datagrid, DateField, FunctionField, Link, List, SelectInput, TextField, TextInput } from 'react-admin';
import { DomainField } from '../../fields/DomainName';
import { StatusChip } from '../../fields/StatusChip';
import { RetryWorkButton } from './RetryWorkButton';

const filters = [
  <SelectInput key="status" source="status" alwaysOn choices={statusChoices(DOMAIN_TRANSFER_STATUSES)} />,
  <SelectInput key="platform" source="platform" alwaysOn choices={statusChoices(HOSTING_PLATFORMS)} />,
  <TextInput key="domain" source="domain" label="Domain" alwaysOn />,
  <SelectInput
    key="nameServerStatus"
    source="nameServerStatus"
    label="Nameservers"
    choices={statusChoices(NAME_SERVER_STATUSES)}
  />,
];

interface Transfer {
  orderId: string;
  orderCode: string;
  recordId: string;
  nameservers: string[];
  errorCode: string | null;
  errorMessage: string | null;
}

/** Seed 001's domain_transfers: each domain moved to Mailin.ai, its nameservers at the registrar, and why it waits. */
export function DomainTransferList() {
  return (
    <List filters={filters} exporter={false} title="Domain transfers" sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DomainField source="domain" label="Domain" sortable={false} />
        <FunctionField
          label="Order"
          render={(t: Transfer) => <Link to={`/orders/${t.orderId}/show`}>{t.orderCode}</Link>}
        />
        <TextField source="platform" sortable={false} />
        <StatusChip source="status" label="Status" />
        <StatusChip source="nameServerStatus" label="Nameservers" />
        <FunctionField label="Nameservers given" render={(t: Transfer) => t.nameservers.join(', ')} />
        <FunctionField
          label="Error"
          render={(t: Transfer) => (t.errorMessage ? `${t.errorCode ?? ''} ${t.errorMessage}`.trim() : '')}
        />
        <FunctionField
          label="Delivery"
          render={(t: Transfer) => <Link to={`/fulfillment-records/${t.recordId}/show`}>logs and steps</Link>}
        />
        <DateField source="lastCheckedAt" label="Last checked" showTime sortable={false} />
        <DateField source="createdAt" label="Started" showTime sortable={false} />
        <RetryWorkButton kind="transfer" />
      </Datagrid>
    </List>
  );
}
