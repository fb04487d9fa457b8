import { Alert, Box, Button, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useFormContext } from 'react-hook-form';
import { useBackOffice } from '../../permissions';
import { driverConfigOf } from './productForm';

/** Seed 003 §7.3: asks the driver to reach its provider with the config as typed (not yet saved). */
export function TestConnectionButton({ driver, supported }: { driver: string | undefined; supported: boolean }) {
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
      {driver && !supported && (
        <Typography variant="body2" color="text.secondary">
          The {driver} driver calls no outside system, so there is no connection to test.
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
