import { API_TOKEN_SCOPE_LABELS, type ApiTokenScope, createApiTokenInput, SCOPES_BY_ROLE } from '@handover/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { ErrorNotice, Loading } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { type RouterOutputs, useTRPC } from '../trpc';

type Token = RouterOutputs['apiTokens']['mine'][number];

const when = (date: Date | null) => (date ? date.toLocaleString() : 'never');

/** The token, once: copy it now, it is not shown again. */
function NewToken({ token, onDone }: { token: string; onDone(): void }) {
  return (
    <div role="status" className="notice notice-ok">
      <p>
        <strong>Your new token.</strong> Copy it now: it will not be shown again.
      </p>
      <p>
        <code data-testid="new-token">{token}</code> <CopyButton text={token} label="the token" />
      </p>
      <button type="button" className="button-secondary button-small" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function CreateTokenForm({ role, onCreated }: { role: keyof typeof SCOPES_BY_ROLE; onCreated(token: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.apiTokens.create.mutationOptions());
  const form = useZodForm(createApiTokenInput, { name: '', scopes: ['orders:read'], expiresInDays: 90 });
  const scopes = form.values.scopes as ApiTokenScope[];
  const toggle = (scope: ApiTokenScope, on: boolean) =>
    form.set('scopes', on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  return (
    <form
      noValidate
      aria-labelledby="new-token-heading"
      onSubmit={form.submit(async (data) => {
        const made = await create.mutateAsync(data);
        await queryClient.invalidateQueries({ queryKey: trpc.apiTokens.mine.queryKey() });
        form.set('name', '');
        onCreated(made.token);
      })}
    >
      <h3 id="new-token-heading">New token</h3>
      {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
      <Field
        label="Name"
        hint="What uses it, e.g. shop site"
        value={form.values.name}
        onChange={(v) => form.set('name', v)}
        errors={form.errors.name}
      />
      <fieldset>
        <legend>What it may do</legend>
        {SCOPES_BY_ROLE[role].map((scope) => (
          <label key={scope} className="choice">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            {API_TOKEN_SCOPE_LABELS[scope]} <code>{scope}</code>
          </label>
        ))}
        {form.errors.scopes ? <p className="field-error">{form.errors.scopes.join(' ')}</p> : null}
      </fieldset>
      <Field
        label="Expires after (days)"
        type="number"
        min={1}
        max={366}
        value={String(form.values.expiresInDays)}
        onChange={(v) => form.set('expiresInDays', Number(v))}
        errors={form.errors.expiresInDays}
      />
      <button type="submit" disabled={form.submitting}>
        Make the token
      </button>
    </form>
  );
}

function TokenRow({ token }: { token: Token }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.apiTokens.revoke.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.apiTokens.mine.queryKey() }),
    }),
  );
  return (
    <li className="card">
      <p>
        <strong>{token.name}</strong> <code>{token.hint}…</code> <span className="badge">{token.state}</span>
      </p>
      <p className="muted">
        {token.scopes.join(', ')} · expires {token.expiresAt.toLocaleDateString()} · last used {when(token.lastUsedAt)}
        {token.lastUsedIp ? ` from ${token.lastUsedIp}` : ''}
      </p>
      {token.state === 'active' ? (
        <button
          type="button"
          className="button-secondary button-small"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate({ id: token.id })}
          aria-label={`Revoke ${token.name}`}
        >
          Revoke
        </button>
      ) : null}
    </li>
  );
}

/** The account page's API tokens: make one (shown once), see when each was last used, revoke. */
export function ApiTokens({ role }: { role: keyof typeof SCOPES_BY_ROLE }) {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.apiTokens.mine.queryOptions());
  const [fresh, setFresh] = useState<string | null>(null);
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p>
        For your own programs, the SDK and the <code>handover</code> command: send one as{' '}
        <code>Authorization: Bearer</code>. A token can do only what you can.
      </p>
      {fresh ? <NewToken token={fresh} onDone={() => setFresh(null)} /> : null}
      {tokens.isPending ? <Loading what="your tokens" /> : null}
      {tokens.data && tokens.data.length > 0 ? (
        <ul className="summary-list" aria-label="Your API tokens">
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </ul>
      ) : null}
      <CreateTokenForm role={role} onCreated={setFresh} />
    </section>
  );
}
