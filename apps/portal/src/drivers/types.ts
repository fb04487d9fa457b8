import type { ComponentType } from 'react';
import type { FieldErrors } from '../forms/useZodForm';
import type { ApiClient, RouterOutputs } from '../trpc';

export type CustomerOrder = RouterOutputs['orders']['byCode'];
export type Delivery = CustomerOrder['items'][number]['deliveries'][number];

/** The contact fields every order form has, as typed. */
export interface Contact {
  email: string;
  phone: string;
}

export type CheckedLine =
  | { ok: true; input: Record<string, unknown>; parts: number }
  | { ok: false; errors: FieldErrors };

/**
 * A driver's part of the order form. Its values are its own; it checks them with its contract's
 * schemas (the server's very objects) and says what the order line's input is.
 */
export interface DriverOrderForm<Values> {
  initialValues(): Values;
  /**
   * Its fields, under the contact details. Errors are keyed as its schema names the fields;
   * `facts` are what the driver's settings say to show beside them (an address to allow-list).
   */
  Fields: ComponentType<{
    values: Values;
    onChange(values: Values): void;
    errors: FieldErrors;
    facts: Record<string, string>;
    /** What the product's config offers (plans, options, paths: seed 003 §7.1), as the catalog gives it. */
    options: Record<string, unknown>;
  }>;
  /** The line's input and how many deliveries it makes, or the errors to show. */
  check(values: Values, contact: Contact, options: Record<string, unknown>): CheckedLine;
  /**
   * Just before checkout, what the checked input becomes (secrets saved on their own, the line
   * keeping their reference). A refusal's field errors are shown beside the form's fields.
   */
  prepare?(
    input: Record<string, unknown>,
    context: { api: ApiClient; email: string },
  ): Promise<Record<string, unknown>>;
  /** What the review step lists of the line. */
  Summary: ComponentType<{ values: Values; options: Record<string, unknown> }>;
  /** The contact phone: whether this driver needs one, and what for. */
  phone: { required: boolean; hint: string };
  /**
   * `units`: ordered in quantity, one delivery each; `parts`: ordered once, one delivery per
   * part of the form and priced per part (`unit` names it: "domain").
   */
  quantity: { kind: 'units' } | { kind: 'parts'; unit: string };
}

/** Everything the portal shows of one driver, found by driver id (./index.ts) and loaded on demand. */
export interface DriverViews<Values = unknown> {
  orderForm: DriverOrderForm<Values>;
  /** What one delivery shows the customer below its status and timeline; a plain list of its result without it. */
  Delivery?: ComponentType<{ delivery: Delivery; order: CustomerOrder }>;
}

/**
 * A driver whose products are ordered on a page of its own (seed 002's packages page) rather than
 * the generic order form: the generic form sends the customer there.
 */
export interface OwnPageDriverViews {
  orderPage(productSlug: string): string;
  Delivery?: DriverViews['Delivery'];
}

// biome-ignore lint/suspicious/noExplicitAny: each driver's form holds values of its own shape.
export type AnyDriverViews = DriverViews<any> | OwnPageDriverViews;
