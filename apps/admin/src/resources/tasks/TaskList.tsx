import { MANUAL_TASK_STATUSES, statusChoices } from '@handover/contracts';
import { Datagrid, DateField, FunctionField, Link, List, SelectInput, TextField, TextInput } from 'react-admin';
import { StatusChip } from '../../fields/StatusChip';
import { CompleteTaskButton } from './CompleteTaskButton';

const filters = [
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    emptyText="Open and in progress"
    choices={statusChoices(MANUAL_TASK_STATUSES)}
  />,
  <TextInput key="queue" source="queue" label="Queue" />,
];

interface Task {
  overdue: boolean;
  dueAt: Date | null;
  orderId: string;
  orderCode: string;
}

/** The manual task queue, earliest due first; past-due tasks are marked in words and colour. */
export function TaskList() {
  return (
    <List filters={filters} exporter={false} title="Manual tasks" sort={{ field: 'dueAt', order: 'ASC' }}>
      <Datagrid
        bulkActionButtons={false}
        rowClick={false}
        rowSx={(task) => ((task as Task).overdue ? { bgcolor: 'error.light' } : {})}
      >
        <TextField source="title" sortable={false} />
        <FunctionField
          label="Order"
          render={(t: Task) => <Link to={`/orders/${t.orderId}/show`}>{t.orderCode}</Link>}
        />
        <TextField source="queue" sortable={false} />
        <StatusChip source="status" />
        <FunctionField
          label="Due"
          render={(t: Task) =>
            t.dueAt ? `${new Date(t.dueAt).toLocaleString()}${t.overdue ? ' — overdue' : ''}` : 'no SLA'
          }
        />
        <DateField source="createdAt" label="Opened" showTime sortable={false} />
        <CompleteTaskButton />
      </Datagrid>
    </List>
  );
}
