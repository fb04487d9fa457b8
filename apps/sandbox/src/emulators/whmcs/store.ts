import { randomBytes, randomInt } from 'node:crypto';

export interface WhmcsClient {
  id: number;
  uuid: string;
  firstname: string;
  lastname: string;
  companyname: string;
  email: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  phonenumber: string;
  status: 'Active' | 'Inactive' | 'Closed';
  /** Custom field id -> value (the customer number lives here, seed 004 signup). */
  customfields: Map<number, string>;
  notes: string;
  datecreated: string;
}

export interface WhmcsPayMethod {
  id: number;
  clientid: number;
  type: 'RemoteCreditCard' | 'CreditCard' | 'BankAccount';
  description: string;
  gateway_name: string;
  card_last_four: string;
  expiry_date: string;
  card_type: string;
  last_updated: string;
}

export interface WhmcsProduct {
  pid: number;
  name: string;
  groupname: string;
  /** The provisioning module, or null for a product WHMCS only bills (ModuleCreate then refuses). */
  module: string | null;
  price: string;
  billingcycle: string;
}

export interface WhmcsService {
  id: number;
  clientid: number;
  orderid: number;
  pid: number;
  regdate: string;
  status: 'Pending' | 'Active' | 'Suspended' | 'Terminated' | 'Cancelled';
  suspensionreason: string;
  billingcycle: string;
  paymentmethod: string;
  amount: string;
}

export interface WhmcsOrder {
  id: number;
  ordernum: string;
  userid: number;
  date: string;
  status: 'Pending' | 'Active' | 'Cancelled' | 'Fraud';
  paymentmethod: string;
  amount: string;
  invoiceid: number;
  notes: string;
  serviceids: number[];
}

export interface WhmcsInvoice {
  id: number;
  userid: number;
  date: string;
  duedate: string;
  total: string;
  status: 'Unpaid' | 'Paid' | 'Cancelled';
  paymentmethod: string;
}

/** A customer signed in through a redeemed single sign-on token. */
export interface WhmcsSession {
  clientid: number;
  destination: string;
}

/** The sandbox's WHMCS catalog: products an operator would have set up in the admin area. */
export const PRODUCTS: WhmcsProduct[] = [
  {
    pid: 1,
    name: 'Home Internet 1 Gbps',
    groupname: 'Internet',
    module: 'autorelease',
    price: '49.00',
    billingcycle: 'Monthly',
  },
  { pid: 2, name: 'eSIM Data 5 GB', groupname: 'Mobile', module: null, price: '15.00', billingcycle: 'Monthly' },
  { pid: 3, name: 'VPN Router', groupname: 'VPN', module: 'autorelease', price: '9.00', billingcycle: 'Monthly' },
];

export const PAYMENT_GATEWAYS = ['stripe', 'banktransfer', 'mailin'];

/** Client custom fields as configured in the sandbox's WHMCS (Setup > Custom Client Fields). */
export const CLIENT_CUSTOM_FIELDS = [{ id: 1, name: 'Customer Number', required: true }];

const SSO_TOKEN_TTL_MS = 60_000;

/** WHMCS's database, in memory. Ids count from 1 per table, as WHMCS's auto-increment does. */
export class WhmcsStore {
  clients: WhmcsClient[] = [];
  payMethods: WhmcsPayMethod[] = [];
  orders: WhmcsOrder[] = [];
  services: WhmcsService[] = [];
  invoices: WhmcsInvoice[] = [];
  private readonly ssoTokens = new Map<string, { clientid: number; destination: string; expiresAt: number }>();
  private readonly sessions = new Map<string, WhmcsSession>();
  private nextId = { client: 1, payMethod: 1, order: 1, service: 1, invoice: 1 };

  addClient(client: Omit<WhmcsClient, 'id' | 'uuid'>): WhmcsClient {
    const created = { ...client, id: this.nextId.client++, uuid: crypto.randomUUID() };
    this.clients.push(created);
    return created;
  }

  client(id: number): WhmcsClient | undefined {
    return this.clients.find((c) => c.id === id);
  }

  clientByEmail(email: string): WhmcsClient | undefined {
    return this.clients.find((c) => c.email.toLowerCase() === email.toLowerCase());
  }

  addPayMethod(payMethod: Omit<WhmcsPayMethod, 'id'>): WhmcsPayMethod {
    const created = { ...payMethod, id: this.nextId.payMethod++ };
    this.payMethods.push(created);
    return created;
  }

  removePayMethod(id: number): boolean {
    const before = this.payMethods.length;
    this.payMethods = this.payMethods.filter((p) => p.id !== id);
    return this.payMethods.length < before;
  }

  addOrder(order: Omit<WhmcsOrder, 'id' | 'ordernum'>): WhmcsOrder {
    const created = { ...order, id: this.nextId.order++, ordernum: String(randomInt(1_000_000_000, 9_999_999_999)) };
    this.orders.push(created);
    return created;
  }

  addService(service: Omit<WhmcsService, 'id'>): WhmcsService {
    const created = { ...service, id: this.nextId.service++ };
    this.services.push(created);
    return created;
  }

  addInvoice(invoice: Omit<WhmcsInvoice, 'id'>): WhmcsInvoice {
    const created = { ...invoice, id: this.nextId.invoice++ };
    this.invoices.push(created);
    return created;
  }

  issueSsoToken(clientid: number, destination: string, now: Date): string {
    const token = randomBytes(20).toString('hex');
    this.ssoTokens.set(token, { clientid, destination, expiresAt: now.getTime() + SSO_TOKEN_TTL_MS });
    return token;
  }

  /** Spends a token: single use, valid for 60 seconds (CreateSsoToken's documentation). */
  redeemSsoToken(token: string, now: Date): { sessionId: string; session: WhmcsSession } | undefined {
    const issued = this.ssoTokens.get(token);
    this.ssoTokens.delete(token);
    if (!issued || issued.expiresAt < now.getTime()) return undefined;
    const sessionId = randomBytes(16).toString('hex');
    const session = { clientid: issued.clientid, destination: issued.destination };
    this.sessions.set(sessionId, session);
    return { sessionId, session };
  }

  session(sessionId: string | undefined): WhmcsSession | undefined {
    return sessionId ? this.sessions.get(sessionId) : undefined;
  }

  reset(): void {
    this.clients = [];
    this.payMethods = [];
    this.orders = [];
    this.services = [];
    this.invoices = [];
    this.ssoTokens.clear();
    this.sessions.clear();
    this.nextId = { client: 1, payMethod: 1, order: 1, service: 1, invoice: 1 };
  }
}
