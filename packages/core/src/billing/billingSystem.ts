import type { Address } from '@handover/contracts';

/** The customer as the billing system's client is made from them (seed 004 sign-up). */
export interface BillingCustomer {
  userId: string;
  email: string;
  name: string | null;
  company: string | null;
  phone: string | null;
  customerNumber: string | null;
  address: Address | null;
}

/** An invoice as the portal lists it; amounts as the billing system writes them. */
export interface BillingInvoice {
  id: string;
  date: string;
  dueDate: string;
  total: string;
  currency: string;
  status: string;
}

/** A service (subscription) the customer holds in the billing system. */
export interface BillingService {
  id: string;
  name: string;
  status: string;
  billingCycle: string;
  amount: string;
  nextDueDate: string;
}

/**
 * The seam a billing system implements (seed 004: WHMCS is authoritative for the customer's
 * profile, payment methods, invoices and subscriptions). Core keeps the mapping and decides when
 * to ask; the integration knows how. A system that does not answer throws TransientError.
 */
export interface BillingSystem {
  /** As ops read it: `WHMCS`. */
  system: string;
  /**
   * The customer's client, found by email or created: never two for one customer, whatever
   * retries or concurrent calls do.
   */
  findOrCreateClient(customer: BillingCustomer): Promise<{ clientId: string }>;
  hasPaymentMethod(clientId: string): Promise<boolean>;
  /** A single-use link that signs the customer in on the page where they add a payment method. */
  paymentMethodsLink(clientId: string): Promise<string>;
  invoices(clientId: string): Promise<BillingInvoice[]>;
  services(clientId: string): Promise<BillingService[]>;
}
