import type { z } from 'zod';

/**
 * What the server, the portal and the back office agree on about one fulfillment driver: its
 * id, the product configuration it takes, the order form a customer fills in, and what one
 * fulfillment record of it receives. Schemas and pure functions only, so the browser can
 * check a form with the very objects the server checks it with.
 */
export interface DriverContract<Config = unknown, Form = unknown, Input = unknown> {
  /** The id products name in `fulfillment_driver` (`m365-domain`). */
  driver: string;
  /** A product's `fulfillment_config`: checked when the product is saved and before every run. */
  configSchema: z.ZodType<Config>;
  /** One record's input, as stored on the record. */
  inputSchema: z.ZodType<Input>;
  /** One order line as the customer fills it in, when that is not one record's input. */
  formSchema?: z.ZodType<Form>;
  /**
   * One order line into the inputs of its records (one per domain, say). A driver that splits
   * is ordered once per line, never in quantity, and priced per record.
   */
  split?(form: Form): Input[];
  /**
   * What the order form offers from a product's config (its plans, the options it asks for, the
   * paths of a hybrid product), for the catalog and the back office's preview. Public: never a secret.
   */
  checkoutOptions?(config: Config): Record<string, unknown>;
  /**
   * Checks a line the form schema accepted against the product's config (a plan it sells, the
   * options it needs), before payment. Field errors keyed as the form names its fields.
   */
  checkLine?(form: Form, config: Config): Record<string, string[]>;
}

/** Declares a driver's contract with its types inferred from the schemas. */
export function defineDriverContract<Config, Input, Form = Input>(
  contract: DriverContract<Config, Form, Input>,
): DriverContract<Config, Form, Input> {
  return contract;
}
