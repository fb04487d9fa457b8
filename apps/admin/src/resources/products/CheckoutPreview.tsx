import { GATEWAY_LABELS } from '@handover/contracts';
import { Alert, Box, Button, Card, CardContent, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useFormContext } from 'react-hook-form';
import { JsonBlock } from '../../fields/JsonBlock';
import { formatMoney } from '../../fields/money';
import { useBackOffice } from '../../permissions';
import { type ProductFormValues, toProductInput } from './productForm';

type Preview = Awaited<ReturnType<ReturnType<typeof useBackOffice>['previewCheckout']>>;

interface Choice {
  id?: string;
  key?: string;
  label?: string;
  name?: string;
  description?: string | null;
  type?: string;
  required?: boolean;
}

/** A list of what the order form offers (plans, options, files, paths), in the words the customer reads. */
function Offered({ title, items }: { title: string; items: Choice[] }) {
  if (items.length === 0) return null;
  return (
    <Box sx={{ mb: 1 }}>
      <Typography variant="subtitle2">{title}</Typography>
      <ul style={{ margin: 0 }}>
        {items.map((item) => (
          <li key={item.id ?? item.key ?? item.name ?? item.label}>
            {item.label ?? item.name}
            {item.type ? ` (${item.type}${item.required === false ? ', optional' : ''})` : ''}
            {item.description ? ` — ${item.description}` : ''}
          </li>
        ))}
      </ul>
    </Box>
  );
}

function PreviewCard({ preview }: { preview: Preview }) {
  const options = preview.checkoutOptions as Record<string, unknown>;
  const list = (key: string) => (Array.isArray(options[key]) ? (options[key] as Choice[]) : []);
  const regions = Array.isArray(options.regions) ? (options.regions as string[]) : [];
  const known = ['plans', 'defaultPlan', 'options', 'files', 'paths', 'regions', 'defaultRegion'];
  const rest = Object.fromEntries(Object.entries(options).filter(([key]) => !known.includes(key)));
  return (
    <Card variant="outlined" sx={{ my: 1 }} aria-label="Checkout preview">
      <CardContent>
        <Typography variant="h6" component="h3">
          {preview.name}: {formatMoney(preview.priceMinor, preview.currency)}
          {preview.recurring ? ` / ${preview.recurring.interval}` : ''}
        </Typography>
        {preview.recurring?.trialDays ? (
          <Typography>Free for the first {preview.recurring.trialDays} days.</Typography>
        ) : null}
        {preview.problems.map((problem) => (
          <Alert key={problem} severity="warning" sx={{ my: 1 }}>
            {problem}
          </Alert>
        ))}
        <Typography variant="subtitle2">Ways to pay</Typography>
        <ul style={{ marginTop: 0 }}>
          {preview.gateways.map((g) => (
            <li key={g.gateway}>
              {GATEWAY_LABELS[g.gateway]}
              {g.isDefault ? ' (default)' : ''}
              {g.usable ? '' : ': not offered, no credentials on this server or not for this product'}
            </li>
          ))}
        </ul>
        <Offered title="Plans" items={list('plans')} />
        <Offered title="Options the customer fills in" items={list('options')} />
        <Offered title="Paths to choose from" items={list('paths')} />
        <Offered title="Files" items={list('files')} />
        {regions.length > 0 ? <Typography>Regions: {regions.join(', ')}</Typography> : null}
        {Object.keys(rest).length > 0 ? <JsonBlock title="More of the order form" value={rest} /> : null}
      </CardContent>
    </Card>
  );
}

/** Seed 003 §7.3 "Preview checkout options": what a customer will see for the product as typed, before it is saved. */
export function CheckoutPreview() {
  const backOffice = useBackOffice();
  const form = useFormContext();
  const preview = useMutation({
    mutationFn: () => backOffice.previewCheckout(toProductInput(form.getValues() as ProductFormValues)),
  });
  return (
    <Box sx={{ my: 2 }}>
      <Button variant="outlined" disabled={preview.isPending} onClick={() => preview.mutate()}>
        Preview checkout options
      </Button>
      {preview.data ? <PreviewCard preview={preview.data} /> : null}
      {preview.error ? (
        <Alert severity="error" sx={{ mt: 1 }}>
          {preview.error.message}
        </Alert>
      ) : null}
    </Box>
  );
}
