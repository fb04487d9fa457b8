import { Button, Grid, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Title } from 'react-admin';
import { api } from '../api';
import { formatMoney } from '../fields/money';
import { Panel } from '../fields/Panel';
import { FulfillmentChart, GatewayChart, RevenueChart, TimeToFulfilChart } from './reportCharts';

const GATEWAYS = ['stripe', 'paypal', 'dodo', 'wallet', 'sandbox'] as const;
type Gateway = (typeof GATEWAYS)[number];

interface Filter {
  from: string;
  to: string;
  timeZone: string;
  productId: string;
  driver: string;
  gateway: '' | Gateway;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function lastThirtyDays(): Filter {
  const today = new Date();
  return {
    from: isoDay(new Date(today.getTime() - 29 * 86_400_000)),
    to: isoDay(today),
    timeZone: '',
    productId: '',
    driver: '',
    gateway: '',
  };
}

/** The filter as the API and the download links take it: empty fields left out. */
function apiFilter(f: Filter) {
  return {
    from: f.from,
    to: f.to,
    ...(f.timeZone ? { timeZone: f.timeZone } : {}),
    ...(f.productId ? { productId: f.productId } : {}),
    ...(f.driver ? { driver: f.driver } : {}),
    ...(f.gateway ? { gateway: f.gateway } : {}),
  };
}

function downloadUrl(report: string, format: 'csv' | 'xlsx', f: Filter): string {
  const params = new URLSearchParams({ from: f.from, to: f.to });
  if (f.timeZone) params.set('tz', f.timeZone);
  if (f.productId) params.set('product', f.productId);
  if (f.driver) params.set('driver', f.driver);
  if (f.gateway) params.set('gateway', f.gateway);
  return `/reports/${report}.${format}?${params}`;
}

/** Finance's landing page: the reports of a range as charts, and every report as a download. */
export function ReportsPage() {
  const [draft, setDraft] = useState<Filter>(lastThirtyDays);
  const [filter, setFilter] = useState<Filter>(draft);
  const downloads = useQuery({ queryKey: ['reports.downloads'], queryFn: () => api.reports.downloads.query() });
  const products = useQuery({
    queryKey: ['backOffice.products.list'],
    queryFn: () => api.backOffice.products.list.query({}),
  });
  const report = useQuery({
    queryKey: ['reports.overview', filter],
    queryFn: () => api.reports.overview.query(apiFilter(filter)),
  });
  const drivers = [...new Set((products.data ?? []).map((p) => p.fulfillmentDriver))].sort();
  const set = (field: keyof Filter) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setDraft({ ...draft, [field]: event.target.value });

  return (
    <>
      <Title title="Finance reports" />
      <Stack
        component="form"
        direction="row"
        spacing={2}
        useFlexGap
        sx={{ flexWrap: 'wrap', mt: 2 }}
        aria-label="Report filter"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(draft);
        }}
      >
        <TextField
          label="From"
          type="date"
          value={draft.from}
          onChange={set('from')}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="To"
          type="date"
          value={draft.to}
          onChange={set('to')}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="Time zone"
          value={draft.timeZone}
          onChange={set('timeZone')}
          placeholder={downloads.data?.timeZone ?? 'UTC'}
          helperText={`Empty: the business's (${downloads.data?.timeZone ?? '…'})`}
        />
        <TextField select label="Product" value={draft.productId} onChange={set('productId')} sx={{ minWidth: 180 }}>
          <MenuItem value="">All products</MenuItem>
          {(products.data ?? []).map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField select label="Driver" value={draft.driver} onChange={set('driver')} sx={{ minWidth: 160 }}>
          <MenuItem value="">All drivers</MenuItem>
          {drivers.map((d) => (
            <MenuItem key={d} value={d}>
              {d}
            </MenuItem>
          ))}
        </TextField>
        <TextField select label="Gateway" value={draft.gateway} onChange={set('gateway')} sx={{ minWidth: 140 }}>
          <MenuItem value="">All gateways</MenuItem>
          {GATEWAYS.map((g) => (
            <MenuItem key={g} value={g}>
              {g}
            </MenuItem>
          ))}
        </TextField>
        <Button type="submit" variant="contained">
          Show
        </Button>
      </Stack>

      {report.isPending && <Typography sx={{ p: 2 }}>Loading the reports…</Typography>}
      {report.isError && (
        <Typography color="error" sx={{ p: 2 }} role="alert">
          The reports could not be loaded: {report.error.message}
        </Typography>
      )}
      {report.data && (
        <Grid container spacing={2} sx={{ mt: 1 }}>
          <Grid size={12}>
            <Panel title="Totals">
              {report.data.revenue.totals.length === 0 && <Typography>No revenue in this range.</Typography>}
              {report.data.revenue.totals.map((t) => (
                <Typography key={t.currency}>
                  {t.currency}: {formatMoney(t.grossMinor, t.currency)} gross, {formatMoney(t.refundsMinor, t.currency)}{' '}
                  refunded, <strong>{formatMoney(t.netMinor, t.currency)} net</strong>
                </Typography>
              ))}
              {report.data.wallet.map((w) => (
                <Typography key={`wallet-${w.currency}`}>
                  Wallets ({w.currency}): {w.topUps} top-ups of {formatMoney(w.topUpsMinor, w.currency)}, spent{' '}
                  {formatMoney(w.spentMinor, w.currency)}
                </Typography>
              ))}
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Net revenue over time">
              <RevenueChart data={report.data.revenue.byDay} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Gateway mix">
              <GatewayChart data={report.data.revenue.byGateway} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Fulfillment by driver">
              <FulfillmentChart data={report.data.fulfillment} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Time from payment to fulfilled">
              <TimeToFulfilChart data={report.data.fulfillment} />
            </Panel>
          </Grid>
          <Grid size={12}>
            <Panel title="Downloads (the filter shown above)">
              <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
                {(downloads.data?.reports ?? []).map((r) => (
                  <Stack key={r.name} direction="row" spacing={0.5} sx={{ mr: 2 }}>
                    <Typography sx={{ alignSelf: 'center' }}>{r.title}</Typography>
                    <Button size="small" href={downloadUrl(r.name, 'csv', filter)} download>
                      CSV
                    </Button>
                    <Button size="small" href={downloadUrl(r.name, 'xlsx', filter)} download>
                      XLSX
                    </Button>
                  </Stack>
                ))}
              </Stack>
            </Panel>
          </Grid>
        </Grid>
      )}
    </>
  );
}
