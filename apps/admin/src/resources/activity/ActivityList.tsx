import { Datagrid, DateField, DateInput, FunctionField, List, TextField, TextInput } from 'react-admin';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { ListActions } from '../../lists/ListExport';
import { SubjectLink } from './SubjectLink';

const filters = [
  <TextInput key="action" source="action" label="Action" helperText="e.g. fulfillment. for all of them" alwaysOn />,
  <TextInput key="subjectType" source="subjectType" label="Subject type" />,
  <TextInput key="subjectId" source="subjectId" label="Subject id" />,
  <DateInput key="createdFrom" source="createdFrom" label="From" />,
  <DateInput key="createdTo" source="createdTo" label="Until" />,
];

/** Who did what to which subject, newest first. */
export function ActivityList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      pagination={<KeysetPagination />}
      perPage={25}
      exporter={false}
      actions={<ListActions />}
      title="Activity log"
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="When" showTime />
        <TextField source="action" sortable={false} />
        <TextField source="description" emptyText="—" sortable={false} />
        <FunctionField
          label="Subject"
          render={(a: { subjectType: string; subjectId: string }) => (
            <SubjectLink type={a.subjectType} id={a.subjectId} />
          )}
        />
        <FunctionField
          label="By"
          render={(a: { actorType: string; actorEmail: string | null }) => a.actorEmail ?? a.actorType}
        />
      </Datagrid>
    </List>
  );
}
