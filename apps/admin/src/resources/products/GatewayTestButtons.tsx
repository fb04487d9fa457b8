import { GATEWAY_LABELS, type PaymentGatewayName } from '@handover/contracts';
import { Alert, Box, Button, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useBackOffice } from '../../permissions';

function GatewayTest({ gateway }: { gateway: PaymentGatewayName }) {
  const backOffice = useBackOffice();
  const test = useMutation({ mutationFn: () => backOffice.testGateway(gateway) });
  const label = GATEWAY_LABELS[gateway];
  return (
    <Box sx={{ mb: 1 }}>
      <Button variant="outlined" size="small" disabled={test.isPending} onClick={() => test.mutate()}>
        Test {label} connection
      </Button>
      {test.data ? (
        <Alert severity={test.data.ok ? 'success' : 'error'} sx={{ mt: 1 }}>
          {label}: {test.data.message}
        </Alert>
      ) : null}
      {test.error ? (
        <Alert severity="error" sx={{ mt: 1 }}>
          {label}: {test.error.message}
        </Alert>
      ) : null}
    </Box>
  );
}

/** Seed 003 §7.3 "Test Payment Gateway Connection": an authenticated no-op call to each enabled gateway. */
export function GatewayTestButtons({ gateways }: { gateways: PaymentGatewayName[] }) {
  if (gateways.length === 0) return null;
  return (
    <Box sx={{ my: 2 }}>
      <Typography variant="subtitle2" component="h3">
        Payment gateway connections
      </Typography>
      {gateways.map((gateway) => (
        <GatewayTest key={gateway} gateway={gateway} />
      ))}
    </Box>
  );
}
