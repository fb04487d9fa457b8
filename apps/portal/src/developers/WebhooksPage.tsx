import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventPattern,
  webhookEndpointInput,
} from '@handover/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { CopyButton } from '../components/CopyButton';
import { Field } from '../components/Field';
import { ErrorNotice, Loading } from '../components/Notice';
import { useZodForm } from '../forms/useZodForm';
import { type RouterOutputs, useTRPC } from '../trpc';

type Endpoint = RouterOutputs['webhooks']['endpoints'][number];
type Delivery = RouterOutputs['webhooks']['deliveries']['items'][number];

const GROUPS: { pattern: WebhookEventPattern; label: string }[] = [
  { pattern: '*', label: 'Every event' },
  { pattern: 'fulfillment.*', label: 'Every delivery event' },
  { pattern: 'subscription.*', label: 'Every subscription event' },
];

function Secret({ secret, onDone }: { secret: string; onDone(): void }) {
  return (
    <div role="status" className="notice notice-ok">
      <p>
        <strong>The signing secret.</strong> Copy it now: it will not be shown again. Verify each request with it
        (Standard Webhooks).
      </p>
      <p>
        <code data-testid="webhook-secret">{secret}</code> <CopyButton text={secret} label="the secret" />
      </p>
      <button type="button" className="button-secondary button-small" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function CreateEndpoint({ onSecret }: { onSecret(secret: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.webhooks.create.mutationOptions());
  const form = useZodForm(webhookEndpointInput, { url: '', description: '', events: ['order.paid'] });
  const events = form.values.events as WebhookEventPattern[];
  const toggle = (event: WebhookEventPattern, on: boolean) =>
    form.set('events', on ? [...events, event] : events.filter((e) => e !== event));
  const choices = [
    ...GROUPS,
    ...WEBHOOK_EVENT_TYPES.map((type) => ({ pattern: type, label: WEBHOOK_EVENT_LABELS[type] })),
  ];
  return (
    <form
      noValidate
      aria-labelledby="new-endpoint-heading"
      onSubmit={form.submit(async (data) => {
        const made = await create.mutateAsync(data);
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.endpoints.queryKey() });
        form.set('url', '');
        onSecret(made.secret);
      })}
    >
      <h2 id="new-endpoint-heading">Add an endpoint</h2>
      {form.formError ? <ErrorNotice>{form.formError}</ErrorNotice> : null}
      <Field
        label="Address"
        type="url"
        hint="An https:// address on the internet that answers 2xx"
        value={form.values.url}
        onChange={(v) => form.set('url', v)}
        errors={form.errors.url}
      />
      <Field
        label="Description"
        value={form.values.description ?? ''}
        onChange={(v) => form.set('description', v)}
        errors={form.errors.description}
      />
      <fieldset>
        <legend>Events</legend>
        {choices.map(({ pattern, label }) => (
          <label key={pattern} className="choice">
            <input
              type="checkbox"
              checked={events.includes(pattern)}
              onChange={(e) => toggle(pattern, e.target.checked)}
            />
            {label} <code>{pattern}</code>
          </label>
        ))}
        {form.errors.events ? <p className="field-error">{form.errors.events.join(' ')}</p> : null}
      </fieldset>
      <button type="submit" disabled={form.submitting}>
        Add the endpoint
      </button>
    </form>
  );
}

function DeliveryDetails({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.webhooks.delivery.queryOptions({ id }));
  if (detail.isPending) return <Loading what="the delivery" />;
  if (detail.isError) return <ErrorNotice>{detail.error.message}</ErrorNotice>;
  const d = detail.data;
  return (
    <div className="details">
      <h4>Request</h4>
      <pre>{JSON.stringify(d.payload, null, 2)}</pre>
      {d.history.map((attempt) => (
        <div key={attempt.id}>
          <h4>
            {attempt.attemptedAt.toLocaleString()} ({attempt.trigger}): {attempt.responseStatus ?? attempt.error}
          </h4>
          <pre>
            {Object.entries(attempt.requestHeaders)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')}
          </pre>
          {attempt.responseStatus !== null ? (
            <>
              <p>
                Answer {attempt.responseStatus} in {attempt.durationMs} ms
              </p>
              <pre>{attempt.responseBody}</pre>
            </>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function DeliveryRow({ delivery }: { delivery: Delivery }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() }),
    }),
  );
  return (
    <li className="card">
      <p>
        <strong>{delivery.eventType}</strong> <span className="badge">{delivery.status}</span>{' '}
        {delivery.createdAt.toLocaleString()} · {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
        {delivery.lastResponseStatus ? ` · last answer ${delivery.lastResponseStatus}` : ''}
        {delivery.lastError ? ` · ${delivery.lastError}` : ''}
      </p>
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} request and answers
      </button>{' '}
      <button
        type="button"
        className="button-secondary button-small"
        disabled={redeliver.isPending}
        onClick={() => redeliver.mutate({ id: delivery.id })}
      >
        {redeliver.isSuccess ? 'Redelivery queued' : 'Redeliver'}
      </button>
      {open ? <DeliveryDetails id={delivery.id} /> : null}
    </li>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const [cursor, setCursor] = useState<string | null>(null);
  const page = useQuery(trpc.webhooks.deliveries.queryOptions({ endpointId, cursor, limit: 20 }));
  if (page.isPending) return <Loading what="the deliveries" />;
  if (page.isError) return <ErrorNotice>{page.error.message}</ErrorNotice>;
  return (
    <>
      {page.data.items.length === 0 ? <p className="muted">No deliveries yet.</p> : null}
      <ul className="summary-list" aria-label="Deliveries">
        {page.data.items.map((delivery) => (
          <DeliveryRow key={delivery.id} delivery={delivery} />
        ))}
      </ul>
      {page.data.nextCursor ? (
        <button type="button" className="button-secondary button-small" onClick={() => setCursor(page.data.nextCursor)}>
          Older deliveries
        </button>
      ) : null}
    </>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: Endpoint; onSecret(secret: string): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.endpoints.queryKey() });
  const setEnabled = useMutation(trpc.webhooks.setEnabled.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.webhooks.remove.mutationOptions({ onSettled: refresh }));
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: (made) => onSecret(made.secret),
      onSettled: refresh,
    }),
  );
  return (
    <section className="card" aria-label={endpoint.url}>
      <h2>
        <code>{endpoint.url}</code>{' '}
        <span className="badge">{endpoint.disabledAt ? 'off' : endpoint.failingSince ? 'failing' : 'on'}</span>
      </h2>
      {endpoint.description ? <p>{endpoint.description}</p> : null}
      <p className="muted">Events: {endpoint.events.join(', ')}</p>
      {endpoint.disabledReason ? <p className="field-error">{endpoint.disabledReason}</p> : null}
      {endpoint.previousSecretExpiresAt ? (
        <p className="muted">
          The previous secret also signs until {endpoint.previousSecretExpiresAt.toLocaleString()}.
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="button-secondary button-small"
          onClick={() => setEnabled.mutate({ id: endpoint.id, enabled: Boolean(endpoint.disabledAt) })}
        >
          {endpoint.disabledAt ? 'Turn on' : 'Turn off'}
        </button>
        <button
          type="button"
          className="button-secondary button-small"
          onClick={() => rotate.mutate({ id: endpoint.id, overlapHours: 24 })}
        >
          New secret (old one works 24 h more)
        </button>
        <button
          type="button"
          className="button-secondary button-small"
          onClick={() => remove.mutate({ id: endpoint.id })}
        >
          Delete
        </button>
      </div>
      <h3>Deliveries</h3>
      <Deliveries endpointId={endpoint.id} />
    </section>
  );
}

/** Outbound webhooks: the customer's endpoints, their secrets (shown once), deliveries and redelivery. */
export function WebhooksPage() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.webhooks.endpoints.queryOptions());
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section>
      <p>
        <Link to="/account">Your account</Link>
      </p>
      <h1>Webhooks</h1>
      <p>
        Handover tells your systems when your orders are paid, delivered, failed or refunded, by POSTing signed JSON to
        your endpoints. Failed deliveries are tried again for three days.
      </p>
      {secret ? <Secret secret={secret} onDone={() => setSecret(null)} /> : null}
      {endpoints.isPending ? <Loading what="your endpoints" /> : null}
      {endpoints.isError ? <ErrorNotice>{endpoints.error.message}</ErrorNotice> : null}
      {endpoints.data?.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} onSecret={setSecret} />
      ))}
      <CreateEndpoint onSecret={setSecret} />
    </section>
  );
}
