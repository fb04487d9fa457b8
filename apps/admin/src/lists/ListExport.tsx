import DownloadIcon from '@mui/icons-material/Download';
import { Button, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { FilterButton, TopToolbar, useListContext } from 'react-admin';
import { isExportableList, listExportUrl } from '../dataProvider';
import { formatMoney } from '../fields/money';
import { useBackOffice } from '../permissions';

/**
 * "Export": the CSV of every row matching the list's current filter (all pages, not only the
 * one shown), streamed by the server as it reads it.
 */
export function ListExportButton() {
  const { resource, filterValues } = useListContext();
  if (!isExportableList(resource)) return null;
  return (
    <Button
      size="small"
      startIcon={<DownloadIcon />}
      href={listExportUrl(resource, filterValues)}
      download
      title="Every row matching the current filter, all pages"
    >
      Export CSV
    </Button>
  );
}

/** "1,234 matching", and for orders the amounts by currency; "more than 100,000" past the cap. */
export function ListTotals() {
  const { resource, filterValues } = useListContext();
  const backOffice = useBackOffice();
  const exportable = isExportableList(resource);
  const totals = useQuery({
    queryKey: ['backOffice.listTotals', resource, filterValues],
    queryFn: () => (exportable ? backOffice.listTotals(resource, filterValues) : null),
    enabled: exportable,
  });
  if (!exportable || !totals.data) return null;
  const { count, capped, sums } = totals.data;
  const amounts = (sums ?? [])
    .map((sum) => `${formatMoney(sum.amountMinor, sum.currency)} (${sum.count.toLocaleString()})`)
    .join(' · ');
  return (
    <Typography variant="body2" color="text.secondary" aria-live="polite" data-testid="list-total">
      {capped ? `More than ${count.toLocaleString()} matching` : `${count.toLocaleString()} matching`}
      {amounts ? ` · ${amounts}` : ''}
    </Typography>
  );
}

/** A list's toolbar: its filters, what it had already, and Export. */
export function ListActions({ children }: { children?: ReactNode }) {
  return (
    <TopToolbar sx={{ alignItems: 'center' }}>
      <FilterButton />
      {children}
      <ListExportButton />
    </TopToolbar>
  );
}
