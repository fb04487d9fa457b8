import { Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useBackOffice } from '../../permissions';

/**
 * Seed 004's customer mapping for ops: the portal customer, their client in the billing system
 * (WHMCS), the customer number it was made with, and their operator-system account when known.
 */
export function BillingAccountPanel({ userId }: { userId: string }) {
  const backOffice = useBackOffice();
  const { data, error, isPending } = useQuery({
    queryKey: ['billing', 'accounts', userId],
    queryFn: () => backOffice.billingAccounts(userId),
  });
  if (isPending) return <Typography>Loading the billing account…</Typography>;
  if (error) return <Typography color="error">The billing account could not be loaded: {error.message}</Typography>;
  const [account] = data;
  if (!account)
    return <Typography>No billing account yet: it is made at the customer's first billed order.</Typography>;
  return (
    <Typography component="dl" data-testid="billing-account">
      <dt>Portal customer</dt>
      <dd>{account.email}</dd>
      <dt>{account.system} client</dt>
      <dd>#{account.clientId}</dd>
      <dt>Customer number</dt>
      <dd>{account.customerNumber ?? '—'}</dd>
      <dt>Operator-system account</dt>
      <dd>
        {account.operatorAccountId ?? 'not known yet: found by the customer number at their first order reviewed there'}
      </dd>
    </Typography>
  );
}
