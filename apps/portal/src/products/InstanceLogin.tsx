import { useMutation } from '@tanstack/react-query';
import { CopyButton } from '../components/CopyButton';
import { describeProblem } from '../errors';
import { useTRPC } from '../trpc';

/** A dedicated instance's login, shown on request (seed 003: credentials "revealed on request"). */
export function InstanceLogin({ recordId, username }: { recordId: string; username: string }) {
  const trpc = useTRPC();
  const reveal = useMutation(trpc.products.revealInstancePassword.mutationOptions());
  return (
    <dl className="details">
      <div>
        <dt>Admin login</dt>
        <dd>
          <code>{username}</code>
        </dd>
      </div>
      <div>
        <dt>Password</dt>
        <dd>
          {reveal.data ? (
            <>
              <code>{reveal.data.password}</code> <CopyButton text={reveal.data.password} label="the admin password" />
            </>
          ) : (
            <button
              type="button"
              className="button-secondary button-small"
              disabled={reveal.isPending}
              onClick={() => reveal.mutate({ recordId })}
            >
              {reveal.isPending ? 'Showing…' : `Show password for ${username}`}
            </button>
          )}
          {reveal.error ? <span className="field-error"> {describeProblem(reveal.error).message}</span> : null}
        </dd>
      </div>
    </dl>
  );
}
