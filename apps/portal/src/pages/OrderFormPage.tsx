import {
  activationMomentSchema,
  addressSchema,
  type CustomerProfile,
  formatAddress,
  GATEWAY_LABELS,
  instantOf,
} from '@handover/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, Redirect, useParams } from 'wouter';
import { useSession } from '../account/useSession';
import { PaymentMethodGate } from '../billing/PaymentMethodGate';
import { AddressFields, type AddressValues, emptyAddress } from '../components/AddressFields';
import { Field } from '../components/Field';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { useDriverViews } from '../drivers';
import type { DriverViews } from '../drivers/types';
import { describeProblem } from '../errors';
import type { FieldErrors } from '../forms/useZodForm';
import { formatMoney } from '../money';
import { useNavigate } from '../navigation';
import { ActivationFields, defaultMoment, describeChosen, type MomentValues } from '../orders/ActivationFields';
import { type CheckedOrder, checkOrderForm, formPathsOf, type OrderFormValues } from '../orders/orderForm';
import { RuleGate } from '../orders/RuleGate';
import { type RouterOutputs, useTRPC, useTRPCClient } from '../trpc';

type Product = RouterOutputs['catalog']['list'][number];
type Gateway = Product['enabledPaymentGateways'][number];

/** `/order/:slug`: the product's order form, a summary to review, then the payment page. */
export function OrderFormPage() {
  const trpc = useTRPC();
  const { slug } = useParams();
  const catalog = useQuery(trpc.catalog.list.queryOptions());
  const { user, isPending } = useSession();

  if (catalog.isPending || isPending) return <Loading what="the order form" />;
  if (catalog.isError) {
    return <ErrorNotice retry={() => catalog.refetch()}>{describeProblem(catalog.error).message}</ErrorNotice>;
  }
  const product = catalog.data.find((candidate) => candidate.slug === slug);
  if (!product) {
    return (
      <Empty>
        This product is not on sale. <Link to="/">See what is</Link>.
      </Empty>
    );
  }
  return (
    <DriverOrderForm
      key={product.id}
      product={product}
      signedIn={user ? { email: user.email, phone: user.phone } : null}
    />
  );
}

type Props = { product: Product; signedIn: { email: string; phone: string | null } | null };

/** The product's driver's part of the form, loaded when first needed. */
function DriverOrderForm(props: Props) {
  const views = useDriverViews(props.product.driver);
  const trpc = useTRPC();
  const signedIn = props.signedIn !== null;
  // Seed 004: what the product's rules need of the customer's profile and services.
  const profile = useQuery({ ...trpc.auth.profile.queryOptions(), enabled: signedIn });
  const services = useQuery({
    ...trpc.catalog.myServices.queryOptions(),
    enabled: signedIn && props.product.rules.onePerAccount,
  });
  if (views.isPending || (signedIn && profile.isPending)) return <Loading what="the order form" />;
  if (views.isError) {
    return <ErrorNotice retry={() => views.refetch()}>{describeProblem(views.error).message}</ErrorNotice>;
  }
  if (views.data && 'orderPage' in views.data)
    return <Redirect to={views.data.orderPage(props.product.slug)} replace />;
  const orderForm = views.data?.orderForm;
  if (!orderForm) {
    return (
      <Empty>
        This product cannot be ordered here yet. <Link to="/">See what can</Link>.
      </Empty>
    );
  }
  return (
    <RuleGate product={props.product} signedIn={signedIn} profile={profile.data ?? null} services={services.data ?? []}>
      {props.product.requiresPaymentMethod ? (
        <PaymentMethodGate productName={props.product.name} slug={props.product.slug} signedIn={signedIn}>
          <OrderForm {...props} form={orderForm} profile={profile.data ?? null} />
        </PaymentMethodGate>
      ) : (
        <OrderForm {...props} form={orderForm} profile={profile.data ?? null} />
      )}
    </RuleGate>
  );
}

function OrderForm({
  product,
  signedIn,
  form,
  profile,
}: Props & { form: NonNullable<DriverViews['orderForm']>; profile: CustomerProfile | null }) {
  const perPart = form.quantity.kind === 'parts' ? form.quantity.unit : null;
  const trpc = useTRPC();
  const client = useTRPCClient();
  const navigate = useNavigate();
  // The wallet is the signed-in customer's own; a guest pays through a gateway.
  const gateways = product.enabledPaymentGateways.filter((gateway) => gateway !== 'wallet' || signedIn);
  const [values, setValues] = useState<OrderFormValues>({
    email: signedIn?.email ?? '',
    phone: signedIn?.phone ?? '',
    quantity: 1,
    gateway: gateways.includes(product.defaultPaymentGateway) ? product.defaultPaymentGateway : (gateways[0] ?? ''),
    line: form.initialValues(),
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Seed 004: where the service already exists, the answer links to it.
  const [manageUrl, setManageUrl] = useState<string | null>(null);
  // Seed 004 5a: the activation date, where the product lets the customer choose it.
  const [moment, setMoment] = useState<MomentValues>(defaultMoment);
  const choosesDate = product.activation === 'scheduled' && product.activationDateByCustomer;
  // Seed 004: the billing (= service) address, asked once when the profile has none.
  const [address, setAddress] = useState<AddressValues>(emptyAddress);
  const asksAddress = product.rules.billingAddressIsServiceAddress && !profile?.address;
  const [review, setReview] = useState<CheckedOrder | null>(null);
  const create = useMutation(trpc.checkout.create.mutationOptions());
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Moving between the form and the summary is a new view: focus its heading for screen readers.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the view changes
  useEffect(() => headingRef.current?.focus(), [review === null]);

  const set = <K extends Exclude<keyof OrderFormValues, 'line'>>(key: K, value: OrderFormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      const next = { ...current };
      for (const path of Object.keys(next)) if (path === key || path.startsWith(`${key}.`)) delete next[path];
      return next;
    });
  };
  // The driver's fields: an edit clears the errors of the fields it changed.
  const setLine = (line: unknown) => {
    setErrors((current) => {
      const before = values.line as Record<string, unknown>;
      const changed = Object.keys(line as Record<string, unknown>).filter(
        (key) => (line as Record<string, unknown>)[key] !== before[key],
      );
      const next = { ...current };
      for (const path of Object.keys(next))
        if (changed.some((key) => path === key || path.startsWith(`${key}.`))) delete next[path];
      return next;
    });
    setValues((current) => ({ ...current, line }));
  };

  const toReview = (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = checkOrderForm(form, values, product.checkoutOptions);
    const extra = checkRules();
    if (!checked.ok || Object.keys(extra).length > 0) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...extra });
      setFormError('Some details need attention; see the messages beside them.');
      return;
    }
    if (gateways.length > 0 && !gateways.includes(values.gateway as Gateway)) {
      setErrors({ gateway: ['Choose how to pay'] });
      return;
    }
    setErrors({});
    setReview(checked.order);
  };

  /** The date and the address, checked with the server's own schemas. */
  const checkRules = (): FieldErrors => {
    const found: FieldErrors = {};
    if (choosesDate) {
      const parsed = activationMomentSchema.safeParse(moment);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) found[`activation.${issue.path.join('.')}`] = [issue.message];
      } else if (instantOf(parsed.data).getTime() <= Date.now()) {
        found['activation.date'] = ['Choose a moment in the future'];
      }
    }
    if (asksAddress) {
      const parsed = addressSchema.safeParse(address);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) found[`billingAddress.${issue.path.join('.')}`] = [issue.message];
      }
    }
    return found;
  };

  const [preparing, setPreparing] = useState(false);
  const paying = preparing || create.isPending;
  const pay = async (order: CheckedOrder) => {
    setFormError(null);
    setManageUrl(null);
    setPreparing(true);
    try {
      const input = form.prepare ? await form.prepare(order.input, { api: client, email: order.email }) : order.input;
      const started = await create.mutateAsync({
        email: order.email,
        phone: order.phone,
        items: [
          { productId: product.id, quantity: order.quantity, input, ...(choosesDate ? { activation: moment } : {}) },
        ],
        gateway: (values.gateway || undefined) as Gateway | undefined,
        ...(asksAddress ? { billingAddress: addressSchema.parse(address) } : {}),
      });
      if (started.orderCode) {
        // Several services paid from the wallet are several orders: the list shows them all.
        navigate(started.next?.length ? '/orders' : `/orders/${started.orderCode}`);
        return;
      }
      window.location.assign(started.redirectUrl);
    } catch (error) {
      const problem = describeProblem(error);
      const { fields, general } = formPathsOf(problem.fieldErrors);
      setErrors(fields);
      setFormError([problem.message, ...general].join(' '));
      setManageUrl(problem.links.manage ?? null);
      setReview(null);
    } finally {
      setPreparing(false);
    }
  };

  const unitPrice = formatMoney(product.priceMinor, product.currency);
  const per = product.billingInterval ? ` / ${product.billingInterval}` : '';

  if (review) {
    const typed = addressSchema.safeParse(address);
    const shownAddress = asksAddress
      ? typed.success
        ? formatAddress(typed.data)
        : ''
      : profile?.address
        ? formatAddress(profile.address)
        : '';
    const total = product.priceMinor * review.parts * review.quantity;
    const viaWallet = values.gateway === 'wallet';
    return (
      <section className="narrow order-form">
        <h1 ref={headingRef} tabIndex={-1}>
          Check your order
        </h1>
        {formError ? <ErrorNotice>{formError}</ErrorNotice> : null}
        <dl className="details summary">
          <div>
            <dt>Product</dt>
            <dd>{product.name}</dd>
          </div>
          <form.Summary values={values.line} options={product.checkoutOptions} />
          {review.quantity > 1 ? (
            <div>
              <dt>Quantity</dt>
              <dd>{review.quantity}</dd>
            </div>
          ) : null}
          {choosesDate ? (
            <div>
              <dt>Activation</dt>
              <dd>{describeChosen(moment)}</dd>
            </div>
          ) : null}
          {product.rules.billingAddressIsServiceAddress ? (
            <div>
              <dt>Service and billing address</dt>
              <dd>{shownAddress}</dd>
            </div>
          ) : null}
          <div>
            <dt>Email</dt>
            <dd>{review.email}</dd>
          </div>
          {review.phone ? (
            <div>
              <dt>Phone</dt>
              <dd>{review.phone}</dd>
            </div>
          ) : null}
          {values.gateway ? (
            <div>
              <dt>Payment</dt>
              <dd>{GATEWAY_LABELS[values.gateway as Gateway]}</dd>
            </div>
          ) : null}
          <div>
            <dt>Total</dt>
            <dd className="price">
              {formatMoney(total, product.currency)}
              {per}
              {review.parts > 1 ? (
                <span className="muted">
                  {' '}
                  ({review.parts} × {unitPrice})
                </span>
              ) : null}
            </dd>
          </div>
        </dl>
        {product.requiresReview ? (
          <p className="muted">
            Our team reviews this order before setting it up; we tell you as soon as it is decided.
          </p>
        ) : null}
        {splitsIntoOrders(product) && review.quantity > 1 ? (
          <p className="muted">
            Each {product.name} is an order of its own: {review.quantity} orders, each paid and reviewed on its own.
          </p>
        ) : null}
        <p className="muted">
          {viaWallet
            ? 'The total is taken from your wallet and delivery starts at once.'
            : 'Next you pay on the payment page; delivery starts as soon as the payment is confirmed.'}
          {signedIn ? '' : ' The order goes to an account for this email; you can set its password afterwards.'}
        </p>
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setReview(null)}>
            Change details
          </button>
          <button type="button" disabled={paying} onClick={() => pay(review)}>
            {paying ? 'Starting payment…' : viaWallet ? 'Pay from wallet' : 'Continue to payment'}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="narrow order-form">
      <p>
        <Link to="/">← All products</Link>
      </p>
      <h1 ref={headingRef} tabIndex={-1}>
        Order {product.name}
      </h1>
      <p>{product.description}</p>
      <p className="muted">You receive: {product.deliverySummary}</p>
      <p className="price">
        {unitPrice}
        {per}
        {perPart ? ` per ${perPart}` : ''}
      </p>
      {product.trialDays ? <p className="muted">Free for the first {product.trialDays} days.</p> : null}
      {gateways.length === 0 ? (
        <ErrorNotice>This product cannot be paid for right now. Please come back later.</ErrorNotice>
      ) : null}
      <form noValidate onSubmit={toReview}>
        {formError ? (
          <ErrorNotice>
            {formError}
            {manageUrl ? (
              <>
                {' '}
                <Link to={manageUrl}>Manage / Upgrade</Link>
              </>
            ) : null}
          </ErrorNotice>
        ) : null}
        <fieldset>
          <legend>Your contact details</legend>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            hint={signedIn ? undefined : 'Your order and its account are under this email.'}
            value={values.email}
            onChange={(email) => set('email', email)}
            errors={errors.email}
            required
          />
          <Field
            label="Phone"
            type="tel"
            autoComplete="tel"
            hint={form.phone.hint}
            value={values.phone}
            onChange={(phone) => set('phone', phone)}
            errors={errors.phone}
            required={form.phone.required}
          />
        </fieldset>
        <form.Fields
          values={values.line}
          onChange={setLine}
          errors={errors}
          facts={product.formFacts}
          options={product.checkoutOptions}
        />
        {choosesDate ? <ActivationFields values={moment} onChange={setMoment} errors={errors} /> : null}
        {asksAddress ? (
          <AddressFields
            legend="Service address"
            hint="Where the service is, and your billing address too. We keep it in your profile for next time."
            value={address}
            onChange={setAddress}
            errors={errors}
            prefix="billingAddress"
          />
        ) : null}
        {form.quantity.kind === 'units' && !product.isRecurring ? (
          <div className="quantity">
            <Field
              label="Quantity"
              type="number"
              min={1}
              max={10}
              value={String(values.quantity)}
              onChange={(quantity) => set('quantity', Number(quantity))}
              errors={errors.quantity}
            />
          </div>
        ) : null}
        {gateways.length > 1 ? (
          <fieldset>
            <legend>How would you like to pay?</legend>
            {errors.gateway ? <p className="field-error">{errors.gateway.join(' ')}</p> : null}
            {gateways.map((gateway) => (
              <label key={gateway} className="choice">
                <input
                  type="radio"
                  name="gateway"
                  value={gateway}
                  checked={values.gateway === gateway}
                  onChange={() => set('gateway', gateway)}
                />
                {GATEWAY_LABELS[gateway]}
              </label>
            ))}
          </fieldset>
        ) : errors.gateway ? (
          <p className="field-error">{errors.gateway.join(' ')}</p>
        ) : null}
        <button type="submit" disabled={gateways.length === 0}>
          Review order
        </button>
      </form>
    </section>
  );
}

/** Seed 004: each unit of a service product is an order of its own. */
const splitsIntoOrders = (product: Product) => product.rules.oneServicePerOrder || product.activation === 'scheduled';
