import { describeDomain, isDomainName, MIXED_SCRIPTS_WARNING } from '@handover/contracts';
import { Box, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';

/**
 * A domain as it is provisioned: its ASCII (punycode) form, the Unicode form beside it when
 * they differ, and a warning when a label mixes alphabets (a look-alike of another domain).
 * Text that is not a domain (a phone number) is shown as it is.
 */
export function DomainName({ name }: { name: string }) {
  if (!isDomainName(name)) return <>{name}</>;
  const domain = describeDomain(name);
  return (
    <Box component="span" sx={{ display: 'inline-flex', flexDirection: 'column' }}>
      <span translate="no">
        {domain.ascii}
        {domain.unicode !== domain.ascii ? (
          <Typography component="span" variant="inherit" color="text.secondary">
            {' '}
            ({domain.unicode})
          </Typography>
        ) : null}
      </span>
      {domain.mixedScripts ? (
        <Typography component="span" variant="caption" color="error" role="note">
          {MIXED_SCRIPTS_WARNING}
        </Typography>
      ) : null}
    </Box>
  );
}

/**
 * A list or show column holding a domain (or a phone number, for records of other drivers).
 * `label` and `sortable` are read by the Datagrid, as for react-admin's own fields.
 */
export function DomainField({
  source,
  emptyText = '—',
}: {
  source: string;
  label?: string;
  sortable?: boolean;
  emptyText?: string;
}) {
  const record = useRecordContext();
  const value = record?.[source];
  return typeof value === 'string' && value ? <DomainName name={value} /> : emptyText;
}
