import { Alert, Button, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Create,
  FormDataConsumer,
  RadioButtonGroupInput,
  type RaRecord,
  SimpleForm,
  TextInput,
  useNotify,
  useRedirect,
} from 'react-admin';

const REF = /^[a-z0-9][a-z0-9._/-]{0,119}$/;

function validate(values: Record<string, unknown>) {
  const errors: Record<string, string> = {};
  if (!REF.test(String(values.ref ?? ''))) {
    errors.ref = 'Lower-case letters, digits, dots, dashes and slashes, such as point-of-sale/hmac';
  }
  const value = String(values.value ?? '');
  if (values.kind === 'hmac_secret' && value && value.length < 32) errors.value = 'Use at least 32 characters';
  return errors;
}

/**
 * Adds a provider's shared secret (typed in, or made here and shown once to hand to the vendor)
 * or a licence signing key, under the reference a product's config names.
 */
export function KeyRingCreate() {
  const [made, setMade] = useState<{ ref: string; secret: string } | null>(null);
  const redirect = useRedirect();
  const notify = useNotify();
  if (made) {
    return (
      <Alert severity="success" sx={{ m: 2 }}>
        <Typography>
          Stored under <code>{made.ref}</code>. Give this secret to the provider now; it is not shown again:
        </Typography>
        <Typography component="pre" sx={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {made.secret}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
          <Button size="small" onClick={() => redirect('list', 'key-ring')}>
            Back to the key ring
          </Button>
          <Button size="small" onClick={() => setMade(null)}>
            Add another
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Create
      mutationOptions={{
        // A secret made here is shown once, before anything else; otherwise back to the list.
        onSuccess: (data: RaRecord) => {
          const entry = data as RaRecord & { ref: string; secret?: string | null };
          if (entry.secret) setMade({ ref: entry.ref, secret: entry.secret });
          else {
            notify(`Stored under ${entry.ref}`);
            redirect('list', 'key-ring');
          }
        },
      }}
      record={{ kind: 'hmac_secret' }}
    >
      <SimpleForm validate={validate}>
        <TextInput
          source="ref"
          label="Reference"
          helperText="What the product's config names, such as point-of-sale/hmac"
        />
        <RadioButtonGroupInput
          source="kind"
          choices={[
            { id: 'hmac_secret', name: 'Shared secret (signs calls to a SaaS provider)' },
            { id: 'ed25519_signing_key', name: 'Licence signing key (Ed25519 key pair)' },
          ]}
        />
        <FormDataConsumer<{ kind?: string }>>
          {({ formData }) =>
            formData.kind === 'hmac_secret' ? (
              <TextInput
                source="value"
                label="Secret"
                type="password"
                fullWidth
                helperText="The provider's secret, 32 characters or more; empty: one is made and shown once."
              />
            ) : null
          }
        </FormDataConsumer>
        <TextInput source="description" fullWidth />
      </SimpleForm>
    </Create>
  );
}
