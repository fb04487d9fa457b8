import { decodeCustomFields } from './phpUnserialize';
import {
  CLIENT_CUSTOM_FIELDS,
  PAYMENT_GATEWAYS,
  PRODUCTS,
  type WhmcsClient,
  type WhmcsInvoice,
  type WhmcsOrder,
  type WhmcsPayMethod,
  type WhmcsService,
  type WhmcsStore,
} from './store';

export type Params = Record<string, unknown>;
export type ActionResult = { ok: Record<string, unknown> } | { error: string };

export interface ActionContext {
  store: WhmcsStore;
  now: Date;
  /** The emulator's public base URL (`<sandbox>/whmcs`), for redirect_url. */
  baseUrl: string;
}

type Action = (params: Params, context: ActionContext) => ActionResult;

/**
 * The API actions the sandbox's WHMCS answers, each as developers.whmcs.com/api-reference/<action>
 * describes its parameters, response fields and error messages.
 */
export const ACTIONS: Record<string, Action> = {
  AddClient: addClient,
  GetClientsDetails: getClientsDetails,
  GetPayMethods: getPayMethods,
  CreateSsoToken: createSsoToken,
  AddOrder: addOrder,
  AcceptOrder: acceptOrder,
  GetOrders: getOrders,
  GetInvoices: getInvoices,
  GetClientsProducts: getClientsProducts,
  ModuleCreate: (params, context) => moduleAction(params, context, 'create'),
  ModuleSuspend: (params, context) => moduleAction(params, context, 'suspend'),
  ModuleTerminate: (params, context) => moduleAction(params, context, 'terminate'),
};

function addClient(params: Params, { store, now }: ActionContext): ActionResult {
  const text = (key: string) => str(params[key]).trim();
  const required: [string, string][] = [
    ['firstname', 'You did not enter your first name'],
    ['lastname', 'You did not enter your last name'],
    ['email', 'You did not enter your email address'],
  ];
  const skipValidation = bool(params.skipvalidation);
  if (!skipValidation) {
    required.push(
      ['address1', 'You did not enter your  address line 1'],
      ['city', 'You did not enter your city'],
      ['state', 'You did not enter your state'],
      ['postcode', 'You did not enter your postcode'],
    );
  }
  for (const [key, message] of required) if (!text(key)) return { error: message };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text('email')))
    return { error: 'The email address you entered was not valid' };
  if (!skipValidation && !/^[A-Z]{2}$/.test(text('country'))) return { error: 'Valid country required' };
  if (!skipValidation && !text('phonenumber')) return { error: 'You did not enter your phone number' };
  // A new user is created with the client, so an email any client or user holds is refused.
  if (store.clientByEmail(text('email'))) return { error: 'A user already exists with that email address' };

  let customfields = new Map<number, string>();
  if (text('customfields')) {
    const decoded = decodeCustomFields(text('customfields'));
    if ('error' in decoded) return { error: decoded.error };
    customfields = decoded;
  }
  for (const field of CLIENT_CUSTOM_FIELDS) {
    if (field.required && !skipValidation && !customfields.get(field.id)?.trim()) {
      return { error: `You did not provide required custom field value for ${field.name}` };
    }
  }
  const client = store.addClient({
    firstname: text('firstname'),
    lastname: text('lastname'),
    companyname: text('companyname'),
    email: text('email'),
    address1: text('address1'),
    address2: text('address2'),
    city: text('city'),
    state: text('state'),
    postcode: text('postcode'),
    country: text('country'),
    phonenumber: text('phonenumber'),
    status: 'Active',
    customfields,
    notes: text('notes'),
    datecreated: day(now),
  });
  return { ok: { clientid: client.id } };
}

function getClientsDetails(params: Params, { store }: ActionContext): ActionResult {
  if (!params.clientid && !params.email) return { error: 'Either clientid Or email Is Required' };
  const client = params.clientid ? store.client(int(params.clientid)) : store.clientByEmail(str(params.email));
  if (!client) return { error: 'Client Not Found' };
  const details = clientDetails(client);
  // The documentation notes the client is also returned at the top level (deprecated).
  return { ok: { ...details, client: details } };
}

function getPayMethods(params: Params, { store }: ActionContext): ActionResult {
  if (!params.clientid) return { error: 'Client ID Is Required' };
  const type = str(params.type);
  if (type && type !== 'BankAccount' && type !== 'CreditCard') {
    return { error: "Invalid Pay Method Type. Should be 'BankAccount' or 'CreditCard'" };
  }
  const clientid = int(params.clientid);
  if (!store.client(clientid)) return { error: 'Client Not Found' };
  const paymethods = store.payMethods
    .filter((p) => p.clientid === clientid)
    .filter((p) => !params.paymethodid || p.id === int(params.paymethodid))
    .filter((p) => !type || (type === 'CreditCard' ? p.type !== 'BankAccount' : p.type === 'BankAccount'))
    .map(payMethodView);
  return { ok: { clientid: String(clientid), paymethods } };
}

/** The single sign-on destinations the sandbox knows (WHMCS Single Sign-On developer guide). */
const SSO_DESTINATIONS = new Set([
  'clientarea:homepage',
  'clientarea:profile',
  'clientarea:billing_info',
  'clientarea:services',
  'clientarea:invoices',
  'sso:custom_redirect',
]);

function createSsoToken(params: Params, { store, now, baseUrl }: ActionContext): ActionResult {
  if (!params.client_id && !params.user_id) return { error: 'A valid client_id or user_id is required' };
  // The sandbox has one user per client, with the client's id.
  const clientid = int(params.client_id ?? params.user_id);
  if (!store.client(clientid)) return { error: params.client_id ? 'Invalid client_id' : 'Invalid user_id' };
  const destination = str(params.destination) || 'clientarea:homepage';
  if (!SSO_DESTINATIONS.has(destination)) return { error: 'Invalid destination' };
  const redirectPath = str(params.sso_redirect_path);
  const target = destination === 'sso:custom_redirect' ? redirectPath : destination;
  const token = store.issueSsoToken(clientid, target, now);
  return {
    ok: { access_token: token, redirect_url: `${baseUrl}/oauth/singlesignon.php?access_token=${token}` },
  };
}

function addOrder(params: Params, { store, now }: ActionContext): ActionResult {
  const client = store.client(int(params.clientid));
  if (!client) return { error: 'Client ID Not Found' };
  if (client.status === 'Closed') return { error: 'Unable to add order when client status is Closed' };
  const paymentmethod = str(params.paymentmethod);
  if (!PAYMENT_GATEWAYS.includes(paymentmethod)) {
    return { error: `Invalid Payment Method. Valid options include ${PAYMENT_GATEWAYS.join(',')}` };
  }
  const pids = list(params.pid).map(int);
  const cycles = list(params.billingcycle).map(str);
  if (pids.length === 0) return { error: 'No items added to cart so order cannot proceed' };
  const products = pids.map((pid) => PRODUCTS.find((p) => p.pid === pid));
  if (products.some((p) => !p)) return { error: 'No items added to cart so order cannot proceed' };

  const amount = products.reduce((sum, p) => sum + Number(p?.price ?? 0), 0).toFixed(2);
  const invoice = bool(params.noinvoice)
    ? undefined
    : store.addInvoice({
        userid: client.id,
        date: day(now),
        duedate: day(new Date(now.getTime() + 7 * 86_400_000)),
        total: amount,
        status: 'Unpaid',
        paymentmethod,
      });
  // `notes` is not in AddOrder's parameter table; the sandbox keeps it on the order (GetOrders
  // shows an order's notes) so the operator system's order id travels with it (seed 004).
  const order = store.addOrder({
    userid: client.id,
    date: dateTime(now),
    status: 'Pending',
    paymentmethod,
    amount,
    invoiceid: invoice?.id ?? 0,
    notes: str(params.notes),
    serviceids: [],
  });
  products.forEach((product, index) => {
    if (!product) return;
    const service = store.addService({
      clientid: client.id,
      orderid: order.id,
      pid: product.pid,
      regdate: day(now),
      status: 'Pending',
      suspensionreason: '',
      billingcycle: cycles[index] ? capitalise(cycles[index]) : product.billingcycle,
      paymentmethod,
      amount: product.price,
    });
    order.serviceids.push(service.id);
  });
  return {
    ok: {
      orderid: String(order.id),
      serviceids: order.serviceids.join(','),
      addonids: '',
      domainids: '',
      invoiceid: String(order.invoiceid),
    },
  };
}

function acceptOrder(params: Params, { store }: ActionContext): ActionResult {
  const order = store.orders.find((o) => o.id === int(params.orderid));
  if (order?.status !== 'Pending') return { error: 'Order ID not found or Status not Pending' };
  order.status = 'Active';
  // AcceptOrder activates the services; `autosetup` runs each product's module create too.
  for (const service of store.services.filter((s) => s.orderid === order.id)) service.status = 'Active';
  return { ok: {} };
}

function getOrders(params: Params, { store }: ActionContext): ActionResult {
  const orders = store.orders
    .filter((o) => !params.id || o.id === int(params.id))
    .filter((o) => !params.userid || o.userid === int(params.userid))
    .filter((o) => !params.status || o.status === str(params.status))
    .sort((a, b) => b.id - a.id);
  const page = paginate(orders, params);
  return { ok: { ...page.meta, orders: { order: page.items.map((o) => orderView(o, store)) } } };
}

function getInvoices(params: Params, { store }: ActionContext): ActionResult {
  const invoices = store.invoices
    .filter((i) => !params.userid || i.userid === int(params.userid))
    .filter((i) => !params.status || i.status === str(params.status))
    .sort((a, b) => b.id - a.id);
  const page = paginate(invoices, params);
  return { ok: { ...page.meta, invoices: { invoice: page.items.map((i) => invoiceView(i, store)) } } };
}

function getClientsProducts(params: Params, { store }: ActionContext): ActionResult {
  const services = store.services
    .filter((s) => !params.clientid || s.clientid === int(params.clientid))
    .filter((s) => !params.serviceid || s.id === int(params.serviceid))
    .filter((s) => !params.pid || s.pid === int(params.pid));
  const page = paginate(services, params);
  return {
    ok: {
      clientid: params.clientid ? str(params.clientid) : null,
      serviceid: params.serviceid ? str(params.serviceid) : null,
      pid: params.pid ? str(params.pid) : null,
      domain: null,
      ...page.meta,
      totalresults: String(page.meta.totalresults),
      products: { product: page.items.map((s) => serviceView(s, store)) },
    },
  };
}

function moduleAction(params: Params, { store }: ActionContext, command: 'create' | 'suspend' | 'terminate') {
  const id = params.serviceid ?? params.accountid;
  if (!id) return { error: 'Service ID is required' };
  const service = store.services.find((s) => s.id === int(id));
  if (!service) return { error: 'Service ID not found' };
  if (!PRODUCTS.find((p) => p.pid === service.pid)?.module) return { error: 'Service not assigned to a module' };
  if (command === 'create') service.status = 'Active';
  if (command === 'suspend') {
    service.status = 'Suspended';
    service.suspensionreason = str(params.suspendreason);
  }
  if (command === 'terminate') service.status = 'Terminated';
  return { ok: {} };
}

function clientDetails(client: WhmcsClient) {
  const customfields = CLIENT_CUSTOM_FIELDS.map((field) => ({
    id: field.id,
    value: client.customfields.get(field.id) ?? '',
  }));
  return {
    client_id: client.id,
    userid: client.id,
    id: client.id,
    uuid: client.uuid,
    firstname: client.firstname,
    lastname: client.lastname,
    fullname: `${client.firstname} ${client.lastname}`,
    companyname: client.companyname,
    email: client.email,
    address1: client.address1,
    address2: client.address2,
    city: client.city,
    state: client.state,
    postcode: client.postcode,
    countrycode: client.country,
    country: client.country,
    phonenumber: client.phonenumber,
    status: client.status,
    notes: client.notes,
    currency: 1,
    currency_code: 'USD',
    customfields,
    ...Object.fromEntries(customfields.map((field, index) => [`customfields${index + 1}`, field.value])),
  };
}

function payMethodView(p: WhmcsPayMethod) {
  return {
    id: p.id,
    type: p.type,
    description: p.description,
    gateway_name: p.gateway_name,
    contact_type: 'Client',
    contact_id: p.clientid,
    card_last_four: p.card_last_four,
    expiry_date: p.expiry_date,
    start_date: '',
    issue_number: '',
    card_type: p.card_type,
    remote_token: '',
    last_updated: p.last_updated,
  };
}

function orderView(o: WhmcsOrder, store: WhmcsStore) {
  return {
    id: o.id,
    ordernum: Number(o.ordernum),
    userid: o.userid,
    date: o.date,
    amount: o.amount,
    paymentmethod: o.paymentmethod,
    invoiceid: o.invoiceid,
    status: o.status,
    notes: o.notes,
    paymentstatus: store.invoices.find((i) => i.id === o.invoiceid)?.status ?? '',
    lineitems: {
      lineitem: store.services
        .filter((s) => s.orderid === o.id)
        .map((s) => ({
          type: 'product',
          relid: s.id,
          product: PRODUCTS.find((p) => p.pid === s.pid)?.name ?? '',
          billingcycle: s.billingcycle,
          amount: s.amount,
          status: s.status,
        })),
    },
  };
}

function invoiceView(i: WhmcsInvoice, store: WhmcsStore) {
  const client = store.client(i.userid);
  return {
    id: i.id,
    userid: i.userid,
    firstname: client?.firstname ?? '',
    lastname: client?.lastname ?? '',
    companyname: client?.companyname ?? '',
    invoicenum: '',
    date: i.date,
    duedate: i.duedate,
    datepaid: '0000-00-00 00:00:00',
    subtotal: i.total,
    credit: '0.00',
    tax: '0.00',
    total: i.total,
    status: i.status,
    paymentmethod: i.paymentmethod,
    notes: '',
    currencycode: 'USD',
    currencyprefix: '$',
    currencysuffix: ' USD',
  };
}

function serviceView(s: WhmcsService, store: WhmcsStore) {
  const product = PRODUCTS.find((p) => p.pid === s.pid);
  const order = store.orders.find((o) => o.id === s.orderid);
  return {
    id: String(s.id),
    qty: '1',
    clientid: String(s.clientid),
    orderid: String(s.orderid),
    ordernumber: order?.ordernum ?? '',
    pid: String(s.pid),
    regdate: s.regdate,
    name: product?.name ?? '',
    translated_name: product?.name ?? '',
    groupname: product?.groupname ?? '',
    translated_groupname: product?.groupname ?? '',
    domain: '',
    suspensionreason: s.suspensionreason,
    firstpaymentamount: s.amount,
    recurringamount: s.amount,
    paymentmethod: s.paymentmethod,
    billingcycle: s.billingcycle,
    nextduedate: s.regdate,
    status: s.status,
    notes: '',
    customfields: { customfield: [] },
    configoptions: { configoption: [] },
  };
}

function paginate<T>(items: T[], params: Params) {
  const start = params.limitstart ? int(params.limitstart) : 0;
  const limit = params.limitnum ? int(params.limitnum) : 25;
  const page = items.slice(start, start + limit);
  return { items: page, meta: { totalresults: items.length, startnumber: start, numreturned: page.length } };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function int(value: unknown): number {
  const parsed = Number.parseInt(str(value), 10);
  return Number.isNaN(parsed) ? -1 : parsed;
}

function bool(value: unknown): boolean {
  return value === true || value === '1' || value === 'true' || value === 'on';
}

/** WHMCS's array parameters: `pid[]=1`, `pid[0]=1` and a single `pid=1` all work. */
function list(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  return [value];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function dateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
