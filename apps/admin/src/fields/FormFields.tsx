import { Box, Typography } from '@mui/material';

/** `forwardingUrl` and `microsoft_email` as a person reads them: "Forwarding URL", "Microsoft email". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase()
    .split(' ')
    .filter(Boolean)
    .map((word) => (['url', 'id', 'sms', 'dns', 'api'].includes(word) ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const isPlain = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function plainText(value: unknown): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

function FieldValue({ value }: { value: unknown }) {
  if (isPlain(value)) return <>{plainText(value)}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>—</>;
    if (value.every(isPlain)) return <>{value.map(plainText).join(', ')}</>;
    return (
      <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
        {value.map((entry, n) => (
          // Entries have no identity of their own; their order is the form's.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={n}>
            <FieldValue value={entry} />
          </li>
        ))}
      </Box>
    );
  }
  return <FieldList value={value as Record<string, unknown>} />;
}

function FieldList({ value }: { value: Record<string, unknown> }) {
  return (
    <Box
      component="dl"
      sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}
    >
      {Object.entries(value).map(([key, entry]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {fieldLabel(key)}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
            <FieldValue value={entry} />
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** What the customer filled in on the order form, as labelled fields rather than JSON. */
export function FormFields({ title, value }: { title: string; value: unknown }) {
  return (
    <Box component="section" aria-label={title} sx={{ mb: 2 }}>
      <Typography variant="subtitle2">{title}</Typography>
      {value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0) ? (
        <Typography variant="body2" color="text.secondary">
          Nothing to fill in.
        </Typography>
      ) : (
        <FieldValue value={value} />
      )}
    </Box>
  );
}
