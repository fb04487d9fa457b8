import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import { Link } from 'react-admin';
import type { AdminDriverViews, StaffRecord } from '../types';

const text = (value: unknown): string => (typeof value === 'string' && value ? value : '—');

/** Seed 002: the package, the number, the reseller's reference, and where to see its calls. */
function BundleResult({ record }: { record: StaffRecord }) {
  const input = (record.payloadSnapshot ?? {}) as Record<string, unknown>;
  const result = (record.result ?? {}) as Record<string, unknown>;
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardHeader title="Data bundle" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        <Typography>Network: {text(input.network)}</Typography>
        <Typography>Phone number: {text(input.phoneNumber)}</Typography>
        <Typography>Size: {typeof input.sizeGb === 'number' ? `${input.sizeGb}GB` : '—'}</Typography>
        <Typography>Reseller reference: {record.externalReferenceId ?? '—'}</Typography>
        <Typography>Delivered: {text(result.deliveredAt)}</Typography>
        <Typography sx={{ mt: 1 }}>
          <Link to="/data-orders">All data orders and the resellers’ floats</Link>
        </Typography>
      </CardContent>
    </Card>
  );
}

export const views: AdminDriverViews = { RecordResult: BundleResult };
