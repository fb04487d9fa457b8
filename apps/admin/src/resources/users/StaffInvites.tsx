import {
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNotify } from 'react-admin';
import { when } from '../../fields/dates';
import { useBackOffice } from '../../permissions';

const STATUS_COLOR = { pending: 'warning', accepted: 'success', revoked: 'default', expired: 'default' } as const;

/** Staff invites, newest first, with where each stands; a pending one can be revoked. */
export function StaffInvites() {
  const backOffice = useBackOffice();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery({
    queryKey: ['users', 'invites'],
    queryFn: () => backOffice.staffInvites(),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => backOffice.revokeInvite(id),
    onSuccess: (revoked) => {
      notify(`The invite of ${revoked.email} no longer works.`, { type: 'info' });
      void queryClient.invalidateQueries({ queryKey: ['users', 'invites'] });
    },
    onError: (failure: Error) => notify(failure.message, { type: 'error' }),
  });
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardHeader title="Invites" titleTypographyProps={{ variant: 'h6', component: 'h2' }} />
      <CardContent>
        {isPending ? (
          <Typography>Loading the invites…</Typography>
        ) : error ? (
          <Typography color="error">The invites could not be loaded: {error.message}</Typography>
        ) : data.length === 0 ? (
          <Typography color="text.secondary">No invites yet: "Invite" above sends one.</Typography>
        ) : (
          <Table size="small" aria-label="Invites">
            <TableHead>
              <TableRow>
                <TableCell>Email</TableCell>
                <TableCell>Role</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Invited by</TableCell>
                <TableCell>Sent</TableCell>
                <TableCell>Expires</TableCell>
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((invite) => (
                <TableRow key={invite.id}>
                  <TableCell>{invite.email}</TableCell>
                  <TableCell>{invite.role}</TableCell>
                  <TableCell>
                    <Chip size="small" label={invite.status} color={STATUS_COLOR[invite.status]} />
                  </TableCell>
                  <TableCell>{invite.invitedByEmail}</TableCell>
                  <TableCell>{when(invite.createdAt)}</TableCell>
                  <TableCell>{when(invite.expiresAt)}</TableCell>
                  <TableCell>
                    {invite.status === 'pending' ? (
                      <Button
                        size="small"
                        color="error"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(invite.id)}
                        aria-label={`Revoke the invite of ${invite.email}`}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
