import { Alert, Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useRefresh } from 'react-admin';
import { formatMoney } from '../../fields/money';
import { may, useBackOffice, useRole } from '../../permissions';

type Float = Awaited<ReturnType<ReturnType<typeof useBackOffice>['resellerFloats']>>[number];

/**
 * Seed 002 phase 6: each reseller's float as its API gives it, the bundles waiting for it, and
 * (ops) "Float topped up", which sends the held bundles on.
 */
export function ResellerFloats() {
  const backOffice = useBackOffice();
  const floats = useQuery({ queryKey: ['reseller-floats'], queryFn: () => backOffice.resellerFloats() });
  if (floats.isPending) return <Typography sx={{ p: 2 }}>Reading the resellers’ floats…</Typography>;
  if (floats.isError) return <Alert severity="error">{floats.error.message}</Alert>;
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ my: 2 }}>
      {floats.data.map((float) => (
        <FloatCard key={float.network} float={float} />
      ))}
    </Stack>
  );
}

function FloatCard({ float }: { float: Float }) {
  const role = useRole();
  const backOffice = useBackOffice();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const resume = useMutation({
    mutationFn: () => backOffice.resumeHeldBundles(float.network),
    onSuccess: ({ resumed }) => {
      notify(`${resumed} held bundle(s) sent on`, { type: 'info' });
      void queryClient.invalidateQueries({ queryKey: ['reseller-floats'] });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setConfirming(false),
  });
  return (
    <Card variant="outlined" sx={{ minWidth: 280 }} aria-label={`${float.network} float`}>
      <CardContent>
        <Typography variant="h6" component="h2">
          {float.name}
        </Typography>
        <Typography data-testid={`float-${float.network}`}>
          Float:{' '}
          {float.balance ? (
            <strong>{formatMoney(float.balance.amountMinor, float.balance.currency)}</strong>
          ) : (
            <span>not available ({float.error})</span>
          )}
        </Typography>
        <Typography color={float.held > 0 ? 'warning.main' : 'text.secondary'}>
          {float.held} bundle(s) held for the float
        </Typography>
        {may.operate(role) ? (
          <Box sx={{ mt: 1 }}>
            <Button variant="outlined" size="small" onClick={() => setConfirming(true)} disabled={resume.isPending}>
              Float topped up
            </Button>
          </Box>
        ) : null}
        <Confirm
          isOpen={confirming}
          loading={resume.isPending}
          title={`Is the ${float.network} float topped up?`}
          content="Every bundle held for the float is sent to the reseller again, oldest first, and the float alert is closed. A float still short holds them again with a new alert."
          confirm="Send them on"
          onConfirm={() => resume.mutate()}
          onClose={() => setConfirming(false)}
        />
      </CardContent>
    </Card>
  );
}
