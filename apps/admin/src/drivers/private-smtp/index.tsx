import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { DomainName } from '../../fields/DomainName';
import { useBackOffice } from '../../permissions';
import type { AdminDriverViews, StaffRecord } from '../types';

/** Seed 001 for staff: the domain's transfer, its Mailin.ai jobs and its mailboxes (never a password). */
function MailboxResult({ record }: { record: StaffRecord }) {
  const backOffice = useBackOffice();
  const domain = record.subject ?? '';
  const transfers = useQuery({
    queryKey: ['domain-transfers', record.orderId],
    queryFn: () => backOffice.getList('domain-transfers', { filter: { orderId: record.orderId } }),
  });
  const jobs = useQuery({
    queryKey: ['mailbox-jobs', record.orderId],
    queryFn: () => backOffice.getList('mailbox-jobs', { filter: { orderId: record.orderId } }),
  });
  const mailboxes = useQuery({
    queryKey: ['order-mailboxes', record.orderId],
    queryFn: () => backOffice.orderMailboxes(record.orderId),
  });
  const transfer = transfers.data?.data.find((t) => t.recordId === record.id && t.domain === domain);
  const recordJobs = jobs.data?.data.filter((j) => j.recordId === record.id) ?? [];
  const own = mailboxes.data?.filter((m) => m.recordId === record.id) ?? [];
  const failed = [transfers, jobs, mailboxes].find((query) => query.isError)?.error;
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardHeader title="Mailboxes delivery" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        {failed ? <Typography color="error">Could not load everything: {failed.message}</Typography> : null}
        <Typography>
          Domain: <DomainName name={domain} />
        </Typography>
        <Typography>
          Transfer:{' '}
          {transfer
            ? `${transfer.status} at ${transfer.platform}; nameservers ${transfer.nameServerStatus ?? 'not set yet'} (${(transfer.nameservers as string[]).join(', ')})${transfer.errorMessage ? `; ${transfer.errorMessage}` : ''}`
            : 'none (already active at Mailin.ai, or not started)'}
        </Typography>
        <Typography>
          Mailin.ai jobs:{' '}
          {recordJobs.length > 0
            ? recordJobs
                .map((j) => `${j.jobUuid ?? '—'} ${j.status}${j.errorMessage ? ` (${j.errorMessage})` : ''}`)
                .join('; ')
            : 'none yet'}
        </Typography>
        <Typography>
          Mailboxes:{' '}
          {own.length > 0
            ? own
                .map((m) => `${m.email}${m.mailinMailboxId === null ? ' (not made yet)' : ` #${m.mailinMailboxId}`}`)
                .join(', ')
            : 'none yet'}
        </Typography>
      </CardContent>
    </Card>
  );
}

export const views: AdminDriverViews = { RecordResult: MailboxResult };
