import { FULFILLMENT_STATUSES, statusChoices } from '@handover/contracts';
import { DATA_NETWORK_IDS } from '@handover/contracts/drivers/data-bundle';
import DownloadIcon from '@mui/icons-material/Download';
import { Button } from '@mui/material';
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
  TopToolbar,
  useListContext,
} from 'react-admin';
import { formatMoney } from '../../fields/money';
import { StatusChip } from '../../fields/StatusChip';
import { KeysetPagination } from '../../lists/KeysetPagination';
import { may, useRole } from '../../permissions';
import { BulkRetryButton } from '../fulfillment-records/BulkRetryButton';
import { ResellerFloats } from './ResellerFloats';

/** Seed 002 phase 6's filters: network, status, date range and phone number. */
const filters = [
  <SelectInput key="network" source="network" choices={DATA_NETWORK_IDS.map((id) => ({ id, name: id }))} alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices(FULFILLMENT_STATUSES)} alwaysOn />,
  <DateInput key="createdFrom" source="createdFrom" label="From" alwaysOn />,
  <DateInput key="createdTo" source="createdTo" label="Until" alwaysOn />,
  <TextInput key="phone" source="phone" label="Phone number" alwaysOn />,
];

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The fulfillment report of the list's filters (the last 30 days when no dates are chosen). */
function DownloadReport() {
  const { filterValues } = useListContext();
  const filter = filterValues as Record<string, string | undefined>;
  const to = filter.createdTo?.slice(0, 10) ?? day(new Date());
  const from = filter.createdFrom?.slice(0, 10) ?? day(new Date(Date.now() - 29 * 86_400_000));
  const params = new URLSearchParams({ from, to, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
  for (const key of ['network', 'status', 'phone'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return (
    <TopToolbar>
      <Button size="small" startIcon={<DownloadIcon />} href={`/reports/data-bundles.csv?${params}`} download>
        Fulfillment report (CSV)
      </Button>
      <Button size="small" startIcon={<DownloadIcon />} href={`/reports/data-bundles.xlsx?${params}`} download>
        Excel
      </Button>
    </TopToolbar>
  );
}

export function DataOrderList() {
  const role = useRole();
  return (
    <>
      <ResellerFloats />
      <List
        filters={filters}
        sort={{ field: 'createdAt', order: 'DESC' }}
        pagination={<KeysetPagination />}
        perPage={25}
        exporter={false}
        actions={<DownloadReport />}
        title="Data orders"
      >
        <Datagrid
          bulkActionButtons={may.operate(role) ? <BulkRetryButton /> : false}
          rowClick={(id) => `/fulfillment-records/${id}/show`}
        >
          <DateField source="createdAt" label="Created" showTime />
          <FunctionField
            label="Order"
            render={(r: { orderId: string; orderCode: string }) => (
              <Link to={`/orders/${r.orderId}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()}>
                {r.orderCode}
              </Link>
            )}
          />
          <TextField source="network" sortable={false} />
          <TextField source="phoneNumber" label="Phone" sortable={false} />
          <FunctionField label="Size" render={(r: { sizeGb: number }) => `${r.sizeGb}GB`} />
          <StatusChip source="status" />
          <FunctionField
            label="Attempts"
            render={(r: { attempts: number; maxAttempts: number; heldForFloat: boolean }) =>
              r.heldForFloat ? 'held for float' : `${r.attempts} of ${r.maxAttempts}`
            }
          />
          <TextField source="reference" emptyText="—" sortable={false} />
          <FunctionField
            label="Paid"
            render={(r: { amountMinor: number; currency: string }) => formatMoney(r.amountMinor, r.currency)}
          />
          <TextField source="lastError" label="Last error" emptyText="—" sortable={false} />
        </Datagrid>
      </List>
    </>
  );
}
