import { Alert } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useBackOffice } from '../../permissions';

/** The value once it has stopped changing for `ms`, so a check runs per pause, not per keystroke. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised value is the dependency.
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}

/**
 * Seed 003 §7.3 "real-time validation hints": the driver's config as typed, checked by the
 * server with the driver's own schema, its problems listed by field as the admin types.
 */
export function ConfigCheck({ driver, config }: { driver: string; config: Record<string, unknown> }) {
  const backOffice = useBackOffice();
  const settled = useSettled({ driver, config }, 400);
  const check = useQuery({
    queryKey: ['backOffice.checkConfig', settled.driver, JSON.stringify(settled.config)],
    queryFn: () => backOffice.checkConfig(settled.driver, settled.config),
    placeholderData: (previous) => previous,
  });
  if (!check.data) return null;
  const problems = Object.entries(check.data.fieldErrors);
  return (
    <Alert
      severity={check.data.ok ? 'success' : 'warning'}
      sx={{ my: 1 }}
      role="status"
      aria-label="Configuration check"
    >
      {check.data.ok ? (
        `The ${driver} configuration is valid.`
      ) : (
        <>
          The {driver} configuration is not valid yet:
          <ul style={{ margin: 0 }}>
            {problems.map(([field, messages]) => (
              <li key={field}>
                {field.replace(/^fulfillmentConfig\.?/, '') || 'configuration'}: {messages.join('; ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}
