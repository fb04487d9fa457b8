import { type BillingCustomer, type BillingSystem, PermanentError, parseEnv } from '@handover/core';
import { whmcsEnvSchema } from './env';
import { type NewWhmcsClient, WhmcsClient } from './whmcsClient';

/**
 * Core's billing seam over WHMCS (seed 004: authoritative for the customer's profile, payment
 * methods, invoices and subscriptions). A client is found by email before one is added, and a
 * `client_exists` refusal (another attempt added it meanwhile, or its answer was lost) is read
 * back by email: WHMCS holds one client per email, so retries never make a second.
 */
export function whmcsBillingSystem(client: WhmcsClient): BillingSystem {
  const byEmail = async (email: string) => {
    try {
      return await client.getClientDetails({ email });
    } catch (error) {
      if (error instanceof PermanentError && error.code === 'not_found') return null;
      throw error;
    }
  };
  return {
    system: 'WHMCS',
    async findOrCreateClient(customer) {
      const found = await byEmail(customer.email);
      if (found) return { clientId: String(found.id) };
      try {
        const { clientId } = await client.addClient(newClientOf(customer));
        return { clientId: String(clientId) };
      } catch (error) {
        if (!(error instanceof PermanentError) || error.code !== 'client_exists') throw error;
        const existing = await byEmail(customer.email);
        if (!existing) throw error;
        return { clientId: String(existing.id) };
      }
    },
    hasPaymentMethod: (clientId) => client.hasPaymentMethod(Number(clientId)),
    async paymentMethodsLink(clientId) {
      return (await client.createSsoToken(Number(clientId))).redirectUrl;
    },
    async invoices(clientId) {
      return (await client.getInvoices(Number(clientId))).map((invoice) => ({
        id: String(invoice.id),
        date: invoice.date,
        dueDate: invoice.dueDate,
        total: invoice.total,
        currency: invoice.currencyCode,
        status: invoice.status,
      }));
    },
    async services(clientId) {
      return (await client.getClientsProducts({ clientId: Number(clientId) })).map((service) => ({
        id: String(service.id),
        name: service.name,
        status: service.status,
        billingCycle: service.billingCycle,
        amount: service.recurringAmount,
        nextDueDate: service.nextDueDate,
      }));
    },
  };
}

/** WHMCS's first and last name from the one name Handover keeps; the email's local part without one. */
function newClientOf(customer: BillingCustomer): NewWhmcsClient {
  const words = (customer.name ?? '').trim().split(/\s+/).filter(Boolean);
  const firstName = words[0] ?? customer.email.split('@')[0] ?? 'Customer';
  const lastName = words.length > 1 ? words.slice(1).join(' ') : '-';
  const address = customer.address;
  return {
    firstName,
    lastName,
    email: customer.email,
    customerNumber: customer.customerNumber ?? undefined,
    companyName: customer.company ?? undefined,
    address1: address?.line1,
    address2: address?.line2 || undefined,
    city: address?.city,
    state: address?.region || undefined,
    postcode: address?.postalCode || undefined,
    country: address?.country,
    phoneNumber: customer.phone ?? undefined,
  };
}

/**
 * The billing system this deployment has, from the environment: WHMCS when WHMCS_API_URL is set
 * (its other WHMCS_* variables then required, each named when missing), none otherwise.
 */
export function buildBillingSystem(env: Record<string, string | undefined>, app: string): BillingSystem | null {
  if (!env.WHMCS_API_URL) return null;
  return whmcsBillingSystem(new WhmcsClient(parseEnv(app, whmcsEnvSchema, env)));
}
