import { Card, CardContent, CardHeader, Grid, Typography } from '@mui/material';
import { EditButton, Link, Show, TopToolbar, useShowContext } from 'react-admin';
import { may, useRole } from '../../permissions';
import { ImportCsv } from './ImportCsv';

interface Pool {
  id: string;
  slug: string;
  name: string;
  lowStockThreshold: number;
  lowStock: boolean;
  counts: Record<string, number>;
}

function PoolDetail() {
  const role = useRole();
  const { record, isPending, error } = useShowContext<Pool>();
  if (isPending) return <Typography sx={{ p: 2 }}>Loading the pool…</Typography>;
  if (error || !record)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        This pool could not be loaded.
      </Typography>
    );
  const itemsLink = `/inventory-items?filter=${encodeURIComponent(JSON.stringify({ poolId: record.id }))}`;
  return (
    <Grid container spacing={2} sx={{ p: 2 }}>
      <Grid size={{ xs: 12, md: 4 }}>
        <Card variant="outlined">
          <CardHeader title={record.name} subheader={record.slug} titleTypographyProps={{ component: 'h2' }} />
          <CardContent>
            {Object.entries(record.counts).map(([status, count]) => (
              <Typography key={status}>
                {status}: <span data-testid={`count-${status}`}>{count}</span>
              </Typography>
            ))}
            <Typography sx={{ mt: 1 }} color={record.lowStock ? 'error' : undefined}>
              Low-stock threshold: {record.lowStockThreshold}
              {record.lowStock ? ' — below it' : ''}
            </Typography>
            {may.operate(role) && (
              <Typography sx={{ mt: 1 }}>
                <Link to={itemsLink}>Accounts in this pool</Link>
              </Typography>
            )}
          </CardContent>
        </Card>
      </Grid>
      {may.operate(role) && (
        <Grid size={{ xs: 12, md: 8 }}>
          <ImportCsv poolSlug={record.slug} />
        </Grid>
      )}
    </Grid>
  );
}

function PoolActions() {
  const role = useRole();
  return <TopToolbar>{may.operate(role) && <EditButton label="Change threshold" />}</TopToolbar>;
}

export function PoolShow() {
  return (
    <Show component="div" actions={<PoolActions />}>
      <PoolDetail />
    </Show>
  );
}
