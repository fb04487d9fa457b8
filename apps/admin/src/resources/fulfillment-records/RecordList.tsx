import {
  Datagrid,
  DateField,
  DateInput,
  FunctionField,
  Link,
  List,
  NumberField,
  SelectInput,
  TextField,
  TextInput,
} from 'react-admin';
import { DomainField } from '../../fields/DomainName';
import { StatusChip } from '../../fields/StatusChip';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { ListActions } from '../../lists/ListExport';
import { may, useRole } from '../../permissions';
import { BulkCancelButton } from './BulkCancelButton';
import { BulkRetryButton } from './BulkRetryButton';
import { recordStatusChoices } from './statuses';

const filters = [
  <SelectInput key="status" source="status" choices={recordStatusChoices} alwaysOn />,
  <TextInput key="driver" source="driver" label="Driver" alwaysOn />,
  <TextInput key="subject" source="subject" label="Domain or phone" alwaysOn />,
  <TextInput key="error" source="error" label="Error text" />,
  <DateInput key="createdFrom" source="createdFrom" label="Created from" />,
  <DateInput key="createdTo" source="createdTo" label="Created until" />,
];

function BulkActions() {
  return (
    <>
      <BulkRetryButton />
      <BulkCancelButton />
    </>
  );
}

export function RecordList() {
  const role = useRole();
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      actions={<ListActions />}
      title="Fulfillment records"
    >
      <Datagrid bulkActionButtons={may.operate(role) ? <BulkActions /> : false} rowClick="show">
        <FunctionField
          label="Order"
          render={(r: { orderId: string; orderCode: string }) => (
            <Link to={`/orders/${r.orderId}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()}>
              {r.orderCode}
            </Link>
          )}
        />
        <DomainField source="subject" label="Subject" sortable={false} />
        <TextField source="driver" sortable={false} />
        <StatusChip source="status" />
        <TextField source="currentStep" label="Step" emptyText="—" sortable={false} />
        <NumberField source="attempts" sortable={false} />
        <TextField source="lastError" label="Last error" emptyText="—" sortable={false} />
        <DateField source="createdAt" label="Created" showTime />
      </Datagrid>
    </List>
  );
}
