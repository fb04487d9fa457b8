import { WEBHOOK_EVENT_PATTERNS, type WebhookEventPattern } from '@handover/contracts';
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

/** An admin's endpoint: it hears about every order. The signing secret is shown once. */
export function WebhookCreate() {
  const backOffice = useBackOffice();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventPattern[]>(['order.paid']);
  const create = useMutation({ mutationFn: () => backOffice.createWebhook({ url, events }) });
  const errors = (create.error as { body?: { errors?: Record<string, string> } } | null)?.body?.errors ?? {};
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="New webhook endpoint" />
      <CardContent>
        {create.data ? (
          <Alert severity="success" sx={{ mb: 2 }}>
            <Typography>Copy the signing secret now: it will not be shown again.</Typography>
            <Box component="code" data-testid="webhook-secret" sx={{ wordBreak: 'break-all' }}>
              {create.data.secret}
            </Box>
          </Alert>
        ) : null}
        {create.error ? <Alert severity="error">{create.error.message}</Alert> : null}
        <TextField
          label="Address"
          helperText={errors.url ?? 'https://… on the internet'}
          error={Boolean(errors.url)}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          fullWidth
          margin="normal"
        />
        <FormGroup aria-label="Events">
          {WEBHOOK_EVENT_PATTERNS.map((pattern) => (
            <FormControlLabel
              key={pattern}
              control={
                <Checkbox
                  checked={events.includes(pattern)}
                  onChange={(e) =>
                    setEvents(e.target.checked ? [...events, pattern] : events.filter((p) => p !== pattern))
                  }
                />
              }
              label={pattern}
            />
          ))}
        </FormGroup>
        <Box sx={{ display: 'flex', gap: 2, mt: 2 }}>
          <Button
            variant="contained"
            disabled={create.isPending || Boolean(create.data)}
            onClick={() => create.mutate()}
          >
            Add the endpoint
          </Button>
          <Link to="/webhooks">Back to the endpoints</Link>
        </Box>
      </CardContent>
    </Card>
  );
}
