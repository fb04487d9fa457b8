import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import { DomainName } from '../../fields/DomainName';
import type { AdminDriverViews, StaffRecord } from '../types';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Seed 000: the domain, the PlugSaaS order and the nameservers the customer was given. */
function DomainResult({ record }: { record: StaffRecord }) {
  const result = (record.result ?? {}) as Record<string, unknown>;
  const nameservers = strings(result.nameservers);
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardHeader title="Domain delivery" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        <Typography>
          Domain: <DomainName name={String(result.domain ?? record.subject ?? '—')} />
        </Typography>
        <Typography>PlugSaaS order: {record.externalReferenceId ?? '—'}</Typography>
        <Typography>Nameservers given: {nameservers.length > 0 ? nameservers.join(', ') : 'not yet'}</Typography>
        <Typography>DNS: {record.status === 'active' ? 'verified' : 'waiting for the customer’s change'}</Typography>
      </CardContent>
    </Card>
  );
}

export const views: AdminDriverViews = { RecordResult: DomainResult };
