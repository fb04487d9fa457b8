import { API_TOKEN_SCOPE_LABELS, API_TOKEN_SCOPES, type ApiTokenScope } from '@handover/contracts';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  FormGroup,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Title } from 'react-admin';
import { useBackOffice } from '../../permissions';

/** A service token for a system, acting with the admin's authority within its scopes; shown once. */
export function ServiceTokenCreate() {
  const backOffice = useBackOffice();
  const [name, setName] = useState('');
  const [days, setDays] = useState(365);
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['orders:read']);
  const create = useMutation({
    mutationFn: () => backOffice.createServiceToken({ name, scopes, expiresInDays: days }),
  });
  const errors = (create.error as { body?: { errors?: Record<string, string> } } | null)?.body?.errors ?? {};
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="New service token" />
      <CardContent>
        {create.data ? (
          <Alert severity="success" sx={{ mb: 2 }}>
            <Typography>Copy the token now: it will not be shown again.</Typography>
            <Box component="code" data-testid="service-token" sx={{ wordBreak: 'break-all' }}>
              {create.data.token}
            </Box>
          </Alert>
        ) : null}
        {create.error ? <Alert severity="error">{create.error.message}</Alert> : null}
        <TextField
          label="Name"
          helperText={errors.name ?? 'The system that uses it, e.g. ERP sync'}
          error={Boolean(errors.name)}
          value={name}
          onChange={(e) => setName(e.target.value)}
          fullWidth
          margin="normal"
        />
        <FormGroup aria-label="Scopes">
          {API_TOKEN_SCOPES.map((scope) => (
            <FormControlLabel
              key={scope}
              control={
                <Checkbox
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
                />
              }
              label={`${API_TOKEN_SCOPE_LABELS[scope]} (${scope})`}
            />
          ))}
        </FormGroup>
        {errors.scopes ? <Typography color="error">{errors.scopes}</Typography> : null}
        <TextField
          label="Expires after (days)"
          type="number"
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
          margin="normal"
        />
        <Box sx={{ display: 'flex', gap: 2, mt: 2 }}>
          <Button
            variant="contained"
            disabled={create.isPending || Boolean(create.data)}
            onClick={() => create.mutate()}
          >
            Make the token
          </Button>
          <Link to="/api-tokens">Back to the tokens</Link>
        </Box>
      </CardContent>
    </Card>
  );
}
