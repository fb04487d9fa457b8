import { Card, CardActionArea, CardContent, Grid, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { Panel } from '../fields/Panel';
import { useBackOffice } from '../permissions';
import { FailuresChart, InventoryChart, StatusChart } from './charts';

/** A list's address with `filter` applied, for a figure that opens what it counts. */
const listOf = (resource: string, filter: Record<string, string> = {}) =>
  `/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

function Figure({ label, value, alarm, to }: { label: string; value: number; alarm?: boolean; to?: string }) {
  const content = (
    <CardContent>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h4" component="p" color={alarm && value > 0 ? 'error' : undefined} aria-label={label}>
        {value.toLocaleString()}
      </Typography>
    </CardContent>
  );
  return (
    <Card variant="outlined">
      {to ? (
        <CardActionArea component={Link} to={to}>
          {content}
        </CardActionArea>
      ) : (
        content
      )}
    </Card>
  );
}

export function Dashboard() {
  const backOffice = useBackOffice();
  const stats = useQuery({
    queryKey: ['backOffice.dashboard'],
    queryFn: () => backOffice.dashboard(),
    refetchInterval: 15_000,
  });
  const health = useQuery({
    queryKey: ['system.health'],
    queryFn: () => api.system.health.query(),
    refetchInterval: 10_000,
  });
  return (
    <>
      <Title title="Handover back office" />
      {stats.isPending && <Typography sx={{ p: 2 }}>Loading the figures…</Typography>}
      {stats.isError && (
        <Typography color="error" sx={{ p: 2 }}>
          The figures could not be loaded: {stats.error.message}
        </Typography>
      )}
      {stats.data && (
        <Grid container spacing={2} sx={{ mt: 1 }}>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure
              label="Failures, last 24 h"
              value={stats.data.failures24h}
              alarm
              to={listOf('fulfillment-records', { status: 'failed' })}
            />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure label="Alerts, last 24 h" value={stats.data.alerts24h} alarm to={listOf('alerts')} />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure
              label="Open alerts"
              value={stats.data.openAlerts}
              alarm
              to={listOf('alerts', { state: 'unresolved' })}
            />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure label="Overdue manual tasks" value={stats.data.overdueTasks} alarm to={listOf('tasks')} />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure label="Jobs waiting" value={stats.data.queue.waiting} />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Figure label="Jobs scheduled / running" value={stats.data.queue.scheduled + stats.data.queue.locked} />
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Fulfillment records by status">
              <StatusChart data={stats.data.recordsByStatus} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Failures and alerts, last 24 hours">
              <FailuresChart data={stats.data.last24h} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Inventory by pool">
              <InventoryChart data={stats.data.inventory} />
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Vendors">
              {stats.data.vendors.length === 0 && <Typography>No vendor called yet.</Typography>}
              {stats.data.vendors.map((v) => (
                <Typography key={v.vendor} color={v.open > 0 ? 'error' : undefined} aria-label={`vendor ${v.vendor}`}>
                  {v.vendor}:{' '}
                  {v.open > 0
                    ? `calls paused (circuit open on ${v.open} of ${v.processes} workers)${v.lastError ? ` after ${v.lastError}` : ''}`
                    : 'calls flowing (circuit closed)'}
                  {v.perSecond !== null &&
                    ` · limit ${v.perSecond}/s, ${v.rateLimitWaits.toLocaleString()} calls waited their turn`}
                </Typography>
              ))}
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="Quarantine">
              <Typography color={stats.data.quarantine.items > 0 ? 'error' : undefined}>
                Items held back after a rollback that did not finish: {stats.data.quarantine.items}
              </Typography>
              <Typography>
                Undos retrying in the background: {stats.data.quarantine.pendingUndos}; left for ops to decide:{' '}
                {stats.data.quarantine.abandonedUndos}
              </Typography>
              <Typography>
                <Link to="/quarantine">Open Quarantine</Link> to retry an undo or decide what happens to an item.
              </Typography>
            </Panel>
          </Grid>
          <Grid size={{ xs: 12, md: 6 }}>
            <Panel title="System health">
              {health.isPending && <Typography>Checking…</Typography>}
              {health.isError && (
                <Typography color="error">The server did not answer: {health.error.message}</Typography>
              )}
              {health.data && (
                <>
                  <Typography>
                    Database: {health.data.database.ok ? `up (${health.data.database.latencyMs} ms)` : 'down'}
                  </Typography>
                  <Typography>
                    Workers:{' '}
                    {health.data.worker.ok
                      ? `${health.data.worker.liveProcesses} running`
                      : 'none running — jobs are not being processed'}
                  </Typography>
                  <Typography>
                    Queue: {stats.data.queue.waiting} waiting, {stats.data.queue.scheduled} scheduled,{' '}
                    {stats.data.queue.locked} running
                  </Typography>
                </>
              )}
            </Panel>
          </Grid>
        </Grid>
      )}
    </>
  );
}
