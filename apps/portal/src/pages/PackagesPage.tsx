import { GATEWAY_LABELS } from '@handover/contracts';
import { checkBundlePhone } from '@handover/contracts/drivers/data-bundle';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { useSession } from '../account/useSession';
import { Field } from '../components/Field';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import type { FieldErrors } from '../forms/useZodForm';
import { formatMoney } from '../money';
import { useNavigate } from '../navigation';
import { type RouterOutputs, useTRPC } from '../trpc';

type NetworkGroup = RouterOutputs['dataBundles']['packages'][number];
type Package = NetworkGroup['packages'][number];
type Gateway = Package['enabledPaymentGateways'][number];

const listOf = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/**
 * `/packages` (seed 002): the data packages on sale, grouped by network. Buying one asks for the
 * number the data goes to, checked for the network before anything is sent, and pays from the
 * wallet (or a gateway the package takes). The same package for the same number again within a
 * few minutes is asked about first.
 */
export function PackagesPage() {
  const trpc = useTRPC();
  const packages = useQuery(trpc.dataBundles.packages.queryOptions());
  const [params] = useSearchParams();
  const [chosen, setChosen] = useState<string | null>(params.get('package'));

  if (packages.isPending) return <Loading what="the data packages" />;
  if (packages.isError) {
    return <ErrorNotice retry={() => packages.refetch()}>{describeProblem(packages.error).message}</ErrorNotice>;
  }
  if (packages.data.length === 0) return <Empty>No data packages are on sale right now.</Empty>;
  return (
    <section className="packages-page">
      <header className="page-header">
        <h1>Mobile data</h1>
        <p>Data delivered to any number on the network, usually within a minute. We text you when it lands.</p>
      </header>
      {packages.data.map((group) => (
        <section key={group.network} aria-labelledby={`network-${group.network}`}>
          <h2 id={`network-${group.network}`}>{group.network}</h2>
          <p className="muted">
            For {group.operator} numbers starting {listOf(group.prefixes)}.
          </p>
          <ul className="packages">
            {group.packages.map((pkg) => {
              const price = formatMoney(pkg.priceMinor, pkg.currency);
              const open = chosen === pkg.slug;
              return (
                <li key={pkg.productId} className={open ? 'package package-open' : 'package'}>
                  <div className="package-line">
                    <span className="package-size">{pkg.size}</span>
                    <span className="price">{price}</span>
                    {open ? null : (
                      <button
                        type="button"
                        onClick={() => setChosen(pkg.slug)}
                        aria-label={`Buy ${pkg.size} of ${group.network} data for ${price}`}
                      >
                        Buy
                      </button>
                    )}
                  </div>
                  {open ? (
                    <BuyForm
                      pkg={pkg}
                      group={group}
                      initialPhone={params.get('phone') ?? ''}
                      onCancel={() => setChosen(null)}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <p className="muted">
        Buying for your customers? <Link to="/customers">See the numbers you bought for</Link>.
      </p>
    </section>
  );
}

function BuyForm({
  pkg,
  group,
  initialPhone,
  onCancel,
}: {
  pkg: Package;
  group: NetworkGroup;
  initialPhone: string;
  onCancel(): void;
}) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { user } = useSession();
  const wallet = useQuery({ ...trpc.wallet.balance.queryOptions(), enabled: Boolean(user) });
  const buy = useMutation(trpc.dataBundles.buy.mutationOptions());
  const gateways = pkg.enabledPaymentGateways;
  const [phone, setPhone] = useState(initialPhone);
  const [gateway, setGateway] = useState<Gateway | undefined>(
    gateways.includes(pkg.defaultPaymentGateway) ? pkg.defaultPaymentGateway : gateways[0],
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [repeat, setRepeat] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const price = formatMoney(pkg.priceMinor, pkg.currency);
  const title = `${pkg.size} of ${group.network} data for ${price}`;

  useEffect(() => headingRef.current?.focus(), []);

  if (!user) {
    const next = encodeURIComponent(`/packages?package=${pkg.slug}`);
    return (
      <div className="buy-form">
        <h3 ref={headingRef} tabIndex={-1}>
          {title}
        </h3>
        <p>
          <Link to={`/sign-in?next=${next}`}>Sign in</Link> or <Link to="/sign-up">create an account</Link> to buy.
        </p>
      </div>
    );
  }

  const balance = wallet.data?.find((entry) => entry.currency === pkg.currency);
  const submit = async (confirmRepeat: boolean) => {
    setFormError(null);
    const checked = checkBundlePhone(group.network, phone);
    if (!checked.ok) {
      setErrors({ phoneNumber: [checked.message] });
      setRepeat(null);
      return;
    }
    setErrors({});
    try {
      const result = await buy.mutateAsync({
        productId: pkg.productId,
        phoneNumber: checked.e164,
        gateway,
        confirmRepeat,
      });
      if (result.status === 'confirm_repeat') {
        setRepeat(result.message);
        return;
      }
      if (result.orderCode) navigate(`/orders/${result.orderCode}`);
      else window.location.assign(result.redirectUrl);
    } catch (error) {
      const problem = describeProblem(error);
      setErrors(problem.fieldErrors);
      setFormError(problem.message);
      setRepeat(null);
    }
  };

  return (
    <form
      className="buy-form"
      noValidate
      aria-labelledby={`buy-${pkg.slug}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      <h3 id={`buy-${pkg.slug}`} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      {formError && !errors.phoneNumber ? <ErrorNotice>{formError}</ErrorNotice> : null}
      <Field
        label="Phone number"
        type="tel"
        autoComplete="tel"
        hint={`The ${group.operator} number the data goes to, such as ${group.prefixes[0] ?? '0'} 123 4567.`}
        value={phone}
        onChange={(value) => {
          setPhone(value);
          setErrors({});
          setRepeat(null);
        }}
        errors={errors.phoneNumber}
        required
      />
      {gateways.length > 1 ? (
        <fieldset>
          <legend>Pay with</legend>
          {gateways.map((option) => (
            <label key={option} className="choice">
              <input
                type="radio"
                name={`gateway-${pkg.slug}`}
                value={option}
                checked={gateway === option}
                onChange={() => setGateway(option)}
              />
              {GATEWAY_LABELS[option]}
              {option === 'wallet' && balance ? ` (${formatMoney(balance.balanceMinor, balance.currency)})` : ''}
            </label>
          ))}
        </fieldset>
      ) : null}
      {errors.gateway ? <p className="field-error">{errors.gateway.join(' ')}</p> : null}
      {repeat ? (
        <div role="alert" className="notice">
          <p>{repeat}</p>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={() => setRepeat(null)}>
              No, keep one
            </button>
            <button type="button" disabled={buy.isPending} onClick={() => void submit(true)}>
              Yes, buy it again
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={buy.isPending}>
            {buy.isPending ? 'Buying…' : `Buy for ${price}`}
          </button>
        </div>
      )}
    </form>
  );
}
