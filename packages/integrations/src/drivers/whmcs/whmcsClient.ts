import { PermanentError } from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../../http/jsonClient';
import { Resilience } from '../../http/resilience';
import { type WhmcsConfig, whmcsConfigSchema } from './env';
import { encodeCustomFields } from './phpSerialize';

/** Seed 004 signup: the customer's profile, authoritative in WHMCS. */
export interface NewWhmcsClient {
  firstName: string;
  lastName: string;
  email: string;
  /** The customer number from the operator system, kept in WHMCS's custom field. */
  customerNumber?: string;
  companyName?: string;
  /**
   * The address and phone WHMCS requires; a customer who has not given them yet is added with
   * `skipvalidation` (their profile is completed in WHMCS later).
   */
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  postcode?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  phoneNumber?: string;
  password?: string;
}

export interface WhmcsClientDetails {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  customerNumber: string | null;
}

export interface WhmcsPayMethod {
  id: number;
  type: string;
  description: string;
  gatewayName: string;
  cardLastFour: string | null;
  cardType: string | null;
  expiryDate: string | null;
}

export interface WhmcsOrder {
  orderId: number;
  status: string;
  invoiceId: number;
  notes: string;
  serviceIds: number[];
}

export interface WhmcsInvoice {
  id: number;
  date: string;
  dueDate: string;
  total: string;
  currencyCode: string;
  status: string;
}

export interface WhmcsService {
  id: number;
  orderId: number;
  productId: number;
  name: string;
  status: string;
  billingCycle: string;
  recurringAmount: string;
  nextDueDate: string;
}

const id = z.coerce.number().int();
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const success = z.object({ result: z.literal('success') });
const clientDetailsResponse = success.extend({
  client: z.object({
    id,
    email: z.string(),
    firstname: text,
    lastname: text,
    status: text,
    customfields: z.array(z.object({ id, value: text })).default([]),
  }),
});
const payMethodsResponse = success.extend({
  paymethods: z.array(
    z.object({
      id,
      type: z.string(),
      description: text,
      gateway_name: text,
      card_last_four: z.string().optional(),
      card_type: z.string().optional(),
      expiry_date: z.string().optional(),
    }),
  ),
});
const ssoResponse = success.extend({ redirect_url: z.url() });
const addOrderResponse = success.extend({
  orderid: id,
  serviceids: text,
  invoiceid: z.coerce.number().int().default(0),
});
const ordersResponse = success.extend({
  orders: z
    .union([
      z.object({
        order: z.array(
          z.object({
            id,
            status: z.string(),
            invoiceid: z.coerce.number().int().default(0),
            notes: text,
            lineitems: z
              .union([z.object({ lineitem: z.array(z.object({ type: z.string(), relid: id })) }), z.literal('')])
              .optional()
              // '' (no items) and a missing field both read as none.
              .transform((items) => (items ? items.lineitem : [])),
          }),
        ),
      }),
      // WHMCS answers an empty list as "".
      z.literal(''),
    ])
    .transform((orders) => (orders === '' ? [] : orders.order)),
});
const invoicesResponse = success.extend({
  invoices: z
    .union([
      z.object({
        invoice: z.array(
          z.object({
            id,
            date: z.string(),
            duedate: z.string(),
            total: z.string(),
            status: z.string(),
            currencycode: text,
          }),
        ),
      }),
      z.literal(''),
    ])
    .transform((invoices) => (invoices === '' ? [] : invoices.invoice)),
});
const productsResponse = success.extend({
  products: z
    .union([
      z.object({
        product: z.array(
          z.object({
            id,
            orderid: id,
            pid: id,
            name: text,
            status: z.string(),
            billingcycle: text,
            recurringamount: text,
            nextduedate: text,
          }),
        ),
      }),
      z.literal(''),
    ])
    .transform((products) => (products === '' ? [] : products.product)),
});

/**
 * WHMCS's result=error messages (each action's "Error Responses" in the API reference) as stable
 * codes. All are permanent: WHMCS refused the request itself; outages come as HTTP failures.
 */
const ERROR_CODES: [RegExp, string][] = [
  [/already exists|not available for use/i, 'client_exists'],
  [/Authentication Failed|Invalid IP|Invalid or missing credentials/i, 'unauthorized'],
  [/Status not Pending/i, 'order_not_pending'],
  [/not assigned to a module/i, 'no_module'],
  [/Invalid Payment Method/i, 'invalid_payment_method'],
  [/not found|Invalid client_id|Invalid user_id/i, 'not_found'],
  [/Command Not Found/i, 'unsupported_action'],
];

export function classifyWhmcsError(message: string): PermanentError {
  const code = ERROR_CODES.find(([pattern]) => pattern.test(message))?.[1] ?? 'rejected';
  return new PermanentError(`whmcs refused: ${message}`, code);
}

type Params = Record<string, string | number | boolean | undefined | (string | number)[]>;

/**
 * WHMCS's External API (POST /includes/api.php, form-encoded, `responsetype=json`), one method
 * per action seed 004 uses. Calls go through a circuit breaker; reads and SSO tokens are also
 * retried on transient failures, writes are not (WHMCS has no idempotency key), so the write
 * methods look before they write where a repeat could duplicate (addOrder, acceptOrder).
 */
export class WhmcsClient {
  private readonly http: JsonClient;
  private readonly resilience: Resilience;
  private readonly config: z.output<typeof whmcsConfigSchema>;

  constructor(config: WhmcsConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = whmcsConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`WHMCS client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.http = new JsonClient({
      provider: 'whmcs',
      baseUrl: this.config.baseUrl,
      timeoutMs: this.config.timeoutMs,
      // `secret` and `password2` are caught by the usual pattern; the rest is named here. The SSO
      // redirect_url carries a single-use login token.
      redactKeys: ['identifier', 'accesskey', 'redirect_url'],
      // WHMCS answers a refusal with 200 and `result: error`.
      classifyAnswer: ({ status, body }) => {
        const answer = body as { result?: unknown; message?: unknown } | null;
        return status < 300 && answer?.result === 'error'
          ? classifyWhmcsError(String(answer.message ?? 'no message'))
          : undefined;
      },
      fetch: options.fetch,
    });
    this.resilience = new Resilience({
      provider: 'whmcs',
      breakerThreshold: this.config.breakerThreshold,
      breakerOpenMs: this.config.breakerOpenMs,
      retries: this.config.retries,
      retryInitialDelayMs: this.config.retryInitialDelayMs,
      retryMaxDelayMs: Math.max(this.config.retryInitialDelayMs, 5_000),
    });
  }

  /** The circuit breaker's state: `closed`, `open` or `half_open`. */
  get breakerState() {
    return this.resilience.state;
  }

  /** While the breaker is open, how long until it lets a probe through; 0 otherwise. */
  get breakerReopensInMs(): number {
    return this.resilience.reopensInMs;
  }

  /** AddClient with the customer number in its custom field. A taken email is `client_exists`. */
  async addClient(client: NewWhmcsClient): Promise<{ clientId: number }> {
    const answer = await this.call(
      'AddClient',
      {
        firstname: client.firstName,
        lastname: client.lastName,
        email: client.email,
        companyname: client.companyName,
        address1: client.address1,
        address2: client.address2,
        city: client.city,
        state: client.state,
        postcode: client.postcode,
        country: client.country,
        phonenumber: client.phoneNumber,
        password2: client.password,
        customfields: client.customerNumber
          ? encodeCustomFields({ [this.config.customerNumberFieldId]: client.customerNumber })
          : undefined,
        // Handover sends its own welcome email (seed 004 signup).
        noemail: true,
        skipvalidation: isComplete(client) ? undefined : true,
      },
      success.extend({ clientid: id }),
      { repeatable: false },
    );
    return { clientId: answer.clientid };
  }

  /** GetClientsDetails by id or email; an unknown client is `not_found`. */
  async getClientDetails(by: { clientId: number } | { email: string }): Promise<WhmcsClientDetails> {
    const { client } = await this.call(
      'GetClientsDetails',
      'clientId' in by ? { clientid: by.clientId } : { email: by.email },
      clientDetailsResponse,
      { repeatable: true },
    );
    return {
      id: client.id,
      email: client.email,
      firstName: client.firstname,
      lastName: client.lastname,
      status: client.status,
      customerNumber: client.customfields.find((f) => f.id === this.config.customerNumberFieldId)?.value || null,
    };
  }

  async getPayMethods(clientId: number): Promise<WhmcsPayMethod[]> {
    const { paymethods } = await this.call('GetPayMethods', { clientid: clientId }, payMethodsResponse, {
      repeatable: true,
    });
    return paymethods.map((p) => ({
      id: p.id,
      type: p.type,
      description: p.description,
      gatewayName: p.gateway_name,
      cardLastFour: p.card_last_four || null,
      cardType: p.card_type || null,
      expiryDate: p.expiry_date || null,
    }));
  }

  /** Seed 004: checkout and provisioning are gated on the client having a pay method. */
  async hasPaymentMethod(clientId: number): Promise<boolean> {
    return (await this.getPayMethods(clientId)).length > 0;
  }

  /**
   * CreateSsoToken: a single-use link (60 s) that signs the customer in to WHMCS, by default on
   * the page where they manage cards (seed 004 "Add payment method").
   */
  async createSsoToken(clientId: number, destination = 'clientarea:billing_info'): Promise<{ redirectUrl: string }> {
    const answer = await this.call('CreateSsoToken', { client_id: clientId, destination }, ssoResponse, {
      repeatable: true,
    });
    return { redirectUrl: answer.redirect_url };
  }

  /**
   * AddOrder for one product, the operator system's order id in its notes (seed 004). WHMCS has
   * no idempotency key, so an order of this client already carrying that id is returned instead
   * of adding a second one.
   */
  async addOrder(order: {
    clientId: number;
    productId: number;
    paymentMethod: string;
    /** The operator system's order, when one stands for it. */
    operatorOrderId?: string;
    /** Handover's own mark of the order line (a record's step key), so that each line is ordered once. */
    reference?: string;
    billingCycle?: string;
  }): Promise<WhmcsOrder> {
    const notes = orderNote(order);
    const existing = await this.findOrder(order.clientId, notes);
    if (existing) return existing;
    const answer = await this.call(
      'AddOrder',
      {
        clientid: order.clientId,
        pid: [order.productId],
        billingcycle: order.billingCycle ? [order.billingCycle] : undefined,
        paymentmethod: order.paymentMethod,
        notes,
      },
      addOrderResponse,
      { repeatable: false },
    );
    return {
      orderId: answer.orderid,
      status: 'Pending',
      invoiceId: answer.invoiceid,
      notes,
      serviceIds: answer.serviceids.split(',').filter(Boolean).map(Number),
    };
  }

  /** AcceptOrder. An order another attempt already accepted counts as accepted. */
  async acceptOrder(orderId: number, options: { autoSetup?: boolean; sendEmail?: boolean } = {}): Promise<void> {
    try {
      await this.call(
        'AcceptOrder',
        { orderid: orderId, autosetup: options.autoSetup, sendemail: options.sendEmail },
        success,
        { repeatable: false },
      );
    } catch (error) {
      if (!(error instanceof PermanentError) || error.code !== 'order_not_pending') throw error;
      const order = await this.getOrder(orderId);
      if (order?.status !== 'Active') throw error;
    }
  }

  async getOrder(orderId: number): Promise<WhmcsOrder | undefined> {
    const { orders } = await this.call('GetOrders', { id: orderId }, ordersResponse, { repeatable: true });
    return orders.map(orderOf)[0];
  }

  async getInvoices(clientId: number, filter: { status?: string; limit?: number } = {}): Promise<WhmcsInvoice[]> {
    const { invoices } = await this.call(
      'GetInvoices',
      { userid: clientId, status: filter.status, limitnum: filter.limit ?? 25 },
      invoicesResponse,
      { repeatable: true },
    );
    return invoices.map((i) => ({
      id: i.id,
      date: i.date,
      dueDate: i.duedate,
      total: i.total,
      currencyCode: i.currencycode,
      status: i.status,
    }));
  }

  /** GetClientsProducts: the client's services (seed 004: one Internet service per account). */
  async getClientsProducts(filter: { clientId?: number; serviceId?: number }): Promise<WhmcsService[]> {
    const { products } = await this.call(
      'GetClientsProducts',
      { clientid: filter.clientId, serviceid: filter.serviceId, limitnum: 250 },
      productsResponse,
      { repeatable: true },
    );
    return products.map((p) => ({
      id: p.id,
      orderId: p.orderid,
      productId: p.pid,
      name: p.name,
      status: p.status,
      billingCycle: p.billingcycle,
      recurringAmount: p.recurringamount,
      nextDueDate: p.nextduedate,
    }));
  }

  /** ModuleCreate: runs the product's provisioning module. `no_module` when it has none. */
  async moduleCreate(serviceId: number): Promise<void> {
    await this.call('ModuleCreate', { serviceid: serviceId }, success, { repeatable: false });
  }

  async moduleSuspend(serviceId: number, reason?: string): Promise<void> {
    await this.call('ModuleSuspend', { serviceid: serviceId, suspendreason: reason }, success, { repeatable: false });
  }

  async moduleTerminate(serviceId: number): Promise<void> {
    await this.call('ModuleTerminate', { serviceid: serviceId }, success, { repeatable: false });
  }

  private async findOrder(clientId: number, notes: string): Promise<WhmcsOrder | undefined> {
    const { orders } = await this.call('GetOrders', { userid: clientId, limitnum: 100 }, ordersResponse, {
      repeatable: true,
    });
    return orders.map(orderOf).find((o) => o.notes.includes(notes) && o.status !== 'Cancelled');
  }

  private call<S extends z.ZodType>(
    action: string,
    params: Params,
    response: S,
    options: { repeatable: boolean },
  ): Promise<z.output<S>> {
    const body: Record<string, string> = {
      identifier: this.config.identifier,
      secret: this.config.secret,
      action,
      responsetype: 'json',
    };
    if (this.config.accessKey) body.accesskey = this.config.accessKey;
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (!Array.isArray(value)) body[key] = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
      // WHMCS's array parameters: pid[0]=1&pid[1]=3.
      else for (const [index, item] of value.entries()) body[`${key}[${index}]`] = String(item);
    }
    return this.resilience.run(
      () => this.http.request({ method: 'POST', path: 'includes/api.php', body, form: true, response }),
      options,
    );
  }
}

/** The marker that ties a WHMCS order to the operator system's order and to Handover's order line. */
function orderNote(order: { operatorOrderId?: string; reference?: string }): string {
  const parts = [
    order.operatorOrderId ? `operator_order_id=${order.operatorOrderId}` : '',
    order.reference ? `handover_ref=${order.reference}` : '',
  ].filter(Boolean);
  if (parts.length === 0) throw new Error('WHMCS addOrder: give an operatorOrderId or a reference');
  return parts.join('; ');
}

/** Whether a new client has everything WHMCS requires without `skipvalidation`. */
function isComplete(client: NewWhmcsClient): boolean {
  return Boolean(
    client.customerNumber &&
      client.address1 &&
      client.city &&
      client.state &&
      client.postcode &&
      client.country &&
      client.phoneNumber,
  );
}

function orderOf(order: z.output<typeof ordersResponse>['orders'][number]): WhmcsOrder {
  return {
    orderId: order.id,
    status: order.status,
    invoiceId: order.invoiceid,
    notes: order.notes,
    serviceIds: order.lineitems.filter((item) => item.type === 'product').map((item) => item.relid),
  };
}
