/**
 * The seam an operator system implements (seed 004: Salesforce holds the catalog's eligibility
 * and the order's review). Core decides when to ask; the integration knows how. A system that
 * does not answer throws TransientError.
 */
export interface OperatorSystem {
  /** The customer's account, found by the customer number they signed up with; null when it has none. */
  findAccountId(customerNumber: string): Promise<string | null>;
  /**
   * The product codes the account may order (the org's catalog filtered by the account's
   * eligibility fields), and those fields as read.
   */
  eligibleProducts(accountId: string): Promise<{ productCodes: string[]; eligibility: Record<string, string[]> }>;
}
