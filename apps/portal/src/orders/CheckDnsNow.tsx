import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeProblem } from '../errors';
import { useTRPC } from '../trpc';

/**
 * "I have changed my nameservers": looks the order's domains up at once instead of waiting for
 * the next scheduled check. The order page refreshes itself and shows the outcome.
 */
export function CheckDnsNow({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const check = useMutation(
    trpc.orders.checkDns.mutationOptions({
      onSuccess: async ({ domains }) => {
        setMessage({
          text:
            domains === 0
              ? 'There is nothing left to check: every domain is verified.'
              : `Checking ${domains === 1 ? 'your domain' : `your ${domains} domains`} now; this page updates by itself.`,
          error: false,
        });
        await queryClient.invalidateQueries({ queryKey: trpc.orders.byCode.pathKey() });
      },
      onError: (error) => setMessage({ text: describeProblem(error).message, error: true }),
    }),
  );
  return (
    <div className="check-dns">
      <p>Changed your nameservers already? We check every few minutes, or you can ask now.</p>
      <button
        type="button"
        className="button-secondary"
        disabled={check.isPending}
        onClick={() => check.mutate({ id: orderId })}
      >
        {check.isPending ? 'Checking…' : 'Check DNS now'}
      </button>
      <p role="status" className={message?.error ? 'field-error' : 'muted'}>
        {message?.text ?? ''}
      </p>
    </div>
  );
}
