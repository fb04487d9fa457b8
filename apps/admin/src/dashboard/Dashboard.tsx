import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { api } from '../api';

export function Dashboard() {
  const health = useQuery({
    queryKey: ['system.health'],
    queryFn: () => api.system.health.query(),
    refetchInterval: 10_000,
  });
  return (
    <Card>
      <Title title="Handover back office" />
      <CardHeader title="System health" />
      <CardContent>
        {health.isPending && <Typography>Checking…</Typography>}
        {health.isError && <Typography color="error">The server did not answer: {health.error.message}</Typography>}
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
          </>
        )}
      </CardContent>
    </Card>
  );
}
