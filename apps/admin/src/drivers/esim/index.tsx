import { formatDataVolume } from '@handover/contracts/drivers/esim';
import {
  Card,
  CardContent,
  CardHeader,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { when } from '../../fields/dates';
import { useBackOffice } from '../../permissions';
import type { AdminDriverViews, StaffRecord } from '../types';

/** Seed 004's eSIM for staff: each profile of the delivery, reissues included (never its codes). */
function EsimProfiles({ record }: { record: StaffRecord }) {
  const backOffice = useBackOffice();
  const profiles = useQuery({
    queryKey: ['esim-profiles', record.id],
    queryFn: () => backOffice.esimProfiles(record.id),
  });
  return (
    <Card variant="outlined" sx={{ my: 2 }}>
      <CardHeader title="eSIM profiles" titleTypographyProps={{ component: 'h2', variant: 'h6' }} />
      <CardContent>
        {profiles.isError ? (
          <Typography color="error">Could not load the profiles: {profiles.error.message}</Typography>
        ) : null}
        {profiles.data?.length === 0 ? <Typography color="text.secondary">No profile yet.</Typography> : null}
        {profiles.data && profiles.data.length > 0 ? (
          <Table size="small" aria-label="eSIM profiles">
            <TableHead>
              <TableRow>
                <TableCell>ICCID</TableCell>
                <TableCell>Plan</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Data</TableCell>
                <TableCell>Expires</TableCell>
                <TableCell>Replaced</TableCell>
                <TableCell>Last synced</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {profiles.data.map((profile) => (
                <TableRow key={profile.id}>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{profile.iccid}</TableCell>
                  <TableCell>{profile.packageCode}</TableCell>
                  <TableCell>
                    {profile.status} / {profile.smdpStatus}
                  </TableCell>
                  <TableCell>
                    {formatDataVolume(profile.usedBytes)} of {formatDataVolume(profile.totalVolumeBytes)}
                  </TableCell>
                  <TableCell>{when(profile.expiresAt)}</TableCell>
                  <TableCell>{when(profile.replacedAt)}</TableCell>
                  <TableCell>{when(profile.lastSyncedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}

export const views: AdminDriverViews = { RecordResult: EsimProfiles };
