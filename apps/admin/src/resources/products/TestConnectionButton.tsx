import { Alert, Box, Button, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useFormContext } from 'react-hook-form';
import { useBackOffice } from '../../permissions';
import { driverConfigOf } from './productForm';

/**
 * Seed 003 §7.3: asks the driver to reach its provider with the config as typed (not yet saved).
 * `calls` says what it reaches; null for a driver that has no connection test.
 */
export function TestConnectionButton({ driver, calls }: { driver: string | undefined; calls: string | null }) {
  const supported = calls !== null;
  const backOffice = useBackOffice();
  const form = useFormContext();
  const test = useMutation({
    mutationFn: () => backOffice.testConnection(driver ?? '', driverConfigOf(form.getValues('fulfillmentConfig'))),
  });
  return (
    <Box sx={{ my: 2 }}>
      <Button variant="outlined" disabled={!driver || !supported || test.isPending} onClick={() => test.mutate()}>
        Test connection
      </Button>
      {driver && (
        <Typography variant="body2" color="text.secondary">
          {supported
            ? `Calls ${calls} with the settings above; nothing is ordered.`
            : `The ${driver} driver has no connection test.`}
        </Typography>
      )}
      {test.isPending && <Typography>Testing…</Typography>}
      {test.data && (
        <Alert severity={test.data.ok ? 'success' : 'error'} sx={{ mt: 1 }}>
          {test.data.message}
        </Alert>
      )}
      {test.error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {test.error.message}
        </Alert>
      )}
    </Box>
  );
}
