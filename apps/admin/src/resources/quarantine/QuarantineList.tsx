import { COMPENSATION_STATUSES, statusChoices } from '@handover/contracts';
import { Box, Typography } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, NumberField, SelectInput, TextField } from 'react-admin';
import { Link } from 'react-router-dom';
import { StatusChip } from '../../fields/StatusChip';
import { may, useRole } from '../../permissions';
import { QuarantineActions } from './QuarantineActions';

export interface QuarantineRow {
  id: string;
  recordId: string;
  orderId: string;
  orderCode: string;
  driver: string;
  subject: string | null;
  status: 'pending' | 'done' | 'abandoned' | 'resolved';
  attempts: number;
  nextAttemptAt: string | Date | null;
  lastError: string | null;
  resolution: string | null;
  createdAt: string | Date;
  stepsToUndo: string[];
  quarantined: { id: string; email: string; pool: string; since: string | Date | null; reason: string | null }[];
}

const filters = [
  <SelectInput key="status" source="status" label="Undo" alwaysOn choices={statusChoices(COMPENSATION_STATUSES)} />,
];

/** "3 h", "2 d": how long the items have been held back. */
export function age(since: string | Date, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

/**
 * Each record whose rollback did not finish: the items it holds quarantined (never given to a
 * customer meanwhile), the undo that failed and how often it was tried, when it is tried next,
 * and, for ops, "Retry now" and "Resolve" (return to the pool, or write off).
 */
export function QuarantineList() {
  const role = useRole();
  return (
    <List
      filters={filters}
      filterDefaultValues={{ status: 'pending' }}
      exporter={false}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      title="Quarantine"
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <FunctionField
          label="Held items"
          render={(row: QuarantineRow) =>
            row.quarantined.length === 0 ? (
              '—'
            ) : (
              <Box>
                {row.quarantined.map((item) => (
                  <Typography key={item.id} variant="body2">
                    {item.email}{' '}
                    <Typography component="span" variant="caption">
                      ({item.pool})
                    </Typography>
                  </Typography>
                ))}
              </Box>
            )
          }
        />
        <FunctionField
          label="Order"
          render={(row: QuarantineRow) => <Link to={`/orders/${row.orderId}/show`}>{row.orderCode}</Link>}
        />
        <FunctionField
          label="Record"
          render={(row: QuarantineRow) => (
            <Link to={`/fulfillment-records/${row.recordId}/show`}>
              {row.driver}
              {row.subject ? `: ${row.subject}` : ''}
            </Link>
          )}
        />
        <StatusChip source="status" label="Undo" />
        <FunctionField
          label="Failed undo"
          render={(row: QuarantineRow) =>
            [row.stepsToUndo.length > 0 ? `Undo ${row.stepsToUndo.join(', ')}` : null, row.lastError]
              .filter(Boolean)
              .join(': ') || '—'
          }
        />
        <NumberField source="attempts" label="Tries" sortable={false} />
        <DateField source="nextAttemptAt" label="Next try" showTime emptyText="— (ops decide)" sortable={false} />
        <FunctionField
          label="Held for"
          render={(row: QuarantineRow) => age(row.quarantined[0]?.since ?? row.createdAt)}
        />
        <TextField source="resolution" emptyText="—" sortable={false} />
        {may.operate(role) && <QuarantineActions />}
      </Datagrid>
    </List>
  );
}
