import { GATEWAY_LABELS } from '@handover/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { Field } from '../components/Field';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { formatMoney, parseMoney } from '../money';
import { formatTime } from '../orders/statusText';
import { useTRPC } from '../trpc';

/** The wallet (seed 002): what is in it, each movement, and a top-up through a gateway. */
export function WalletPage() {
  const trpc = useTRPC();
  const balances = useQuery(trpc.wallet.balance.queryOptions());
  const ledger = useQuery(trpc.wallet.ledger.queryOptions({ page: 1, perPage: 25 }));

  if (balances.isPending) return <Loading what="your wallet" />;
  if (balances.isError)
    return <ErrorNotice retry={() => balances.refetch()}>{describeProblem(balances.error).message}</ErrorNotice>;
  return (
    <section>
      <h1>Wallet</h1>
      {balances.data.length === 0 ? (
        <Empty>Your wallet is empty. Top it up below, then pay for data and orders from it in one step.</Empty>
      ) : (
        <ul className="summary-list" aria-label="Balance">
          {balances.data.map((entry) => (
            <li key={entry.currency}>
              Balance: <strong>{formatMoney(entry.balanceMinor, entry.currency)}</strong>
            </li>
          ))}
        </ul>
      )}
      <TopUpForm currency={balances.data[0]?.currency ?? 'GHS'} />
      <h2>Movements</h2>
      {ledger.data && ledger.data.length > 0 ? (
        <ol className="timeline" aria-label="Wallet movements">
          {ledger.data.map((entry) => (
            <li key={entry.id} className="step">
              <span>
                {entry.amountMinor >= 0 ? 'Added' : 'Paid'} {formatMoney(Math.abs(entry.amountMinor), entry.currency)}
                {entry.description ? ` — ${entry.description}` : ''}
              </span>{' '}
              <span className="muted">
                balance {formatMoney(entry.balanceAfterMinor, entry.currency)} ·{' '}
                <time dateTime={new Date(entry.createdAt).toISOString()}>{formatTime(entry.createdAt)}</time>
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No movements yet.</p>
      )}
      <p>
        <Link to="/packages">Buy data</Link> · <Link to="/">See the products</Link>
      </p>
    </section>
  );
}

function TopUpForm({ currency: initialCurrency }: { currency: string }) {
  const trpc = useTRPC();
  const gateways = useQuery(trpc.wallet.topUpGateways.queryOptions());
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(initialCurrency);
  const [gateway, setGateway] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const topUp = useMutation(trpc.wallet.topUp.mutationOptions());
  const options = gateways.data ?? [];
  const chosen = gateway ?? options[0] ?? null;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const code = currency.trim().toUpperCase();
    const amountMinor = parseMoney(amount, code);
    if (amountMinor === null) {
      setErrors({ amountMinor: [`Enter an amount in ${code}, like 20.00`] });
      return;
    }
    if (!chosen) return;
    setErrors({});
    try {
      const started = await topUp.mutateAsync({ amountMinor, currency: code, gateway: chosen as never });
      window.location.assign(started.redirectUrl);
    } catch (error) {
      const problem = describeProblem(error);
      setErrors({
        ...problem.fieldErrors,
        ...(Object.keys(problem.fieldErrors).length ? {} : { form: [problem.message] }),
      });
    }
  };

  return (
    <form className="buy-form" noValidate aria-labelledby="top-up-heading" onSubmit={submit}>
      <h2 id="top-up-heading">Top up</h2>
      {errors.form ? <ErrorNotice>{errors.form.join(' ')}</ErrorNotice> : null}
      <Field
        label="Amount"
        value={amount}
        onChange={setAmount}
        errors={errors.amountMinor}
        hint="For example 20.00"
        required
      />
      <Field
        label="Currency"
        value={currency}
        onChange={setCurrency}
        errors={errors.currency}
        hint="Three letters, e.g. GHS"
      />
      {options.length > 1 ? (
        <fieldset>
          <legend>Pay with</legend>
          {options.map((option) => (
            <label key={option} className="choice">
              <input
                type="radio"
                name="top-up-gateway"
                value={option}
                checked={chosen === option}
                onChange={() => setGateway(option)}
              />
              {GATEWAY_LABELS[option]}
            </label>
          ))}
        </fieldset>
      ) : null}
      {options.length === 0 && gateways.isSuccess ? (
        <p className="muted">Top-ups are not open right now.</p>
      ) : (
        <div className="actions">
          <button type="submit" disabled={topUp.isPending || !chosen}>
            Top up{chosen ? ` with ${GATEWAY_LABELS[chosen as keyof typeof GATEWAY_LABELS]}` : ''}
          </button>
        </div>
      )}
    </form>
  );
}
