import { Card, CardContent, CardHeader, Typography } from '@mui/material';
import type { AdminDriverViews, StaffRecord } from '../types';

/** Managed setup: what the operator who did it wrote for the customer. */
function HandoverNote({ record }: { record: StaffRecord }) {
  const note = (record.result as { note?: unknown } | null)?.note;
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardHeader title="Handover note" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        <Typography sx={{ whiteSpace: 'pre-wrap' }}>
          {typeof note === 'string' && note ? note : 'No note yet: the task is still open.'}
        </Typography>
      </CardContent>
    </Card>
  );
}

export const views: AdminDriverViews = { RecordResult: HandoverNote };
