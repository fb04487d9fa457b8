import { randomInt } from 'node:crypto';

/** Salesforce's error body: always an array of these (REST API "Status Codes and Error Responses"). */
export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: string[];
}

export type FieldValue = string | number | boolean | null;
export type OrderRecord = Record<string, FieldValue> & { Id: string; Status: string };

export interface Account {
  Id: string;
  Name: string;
  Customer_Number__c: string;
  /** Multi-select picklist (values joined by ";"): the Internet offerings this address can get. */
  Internet_Eligibility__c: string | null;
}

export interface Product {
  Id: string;
  Name: string;
  ProductCode: string;
  Family: string;
  IsActive: boolean;
  Portal_Visible__c: boolean;
  /** The eligibility value an account needs for this product; null: every account may order it. */
  Eligibility_Requirement__c: string | null;
  WHMCS_Product_Id__c: number;
  Billing_Cycle__c: string;
  /** From the standard price book's PricebookEntry. */
  UnitPrice: number;
}

/** The Order's picklists as the sandbox org defines them (seed 004's statuses). */
export const PICKLISTS: Record<string, string[]> = {
  Status: ['Draft', 'Pending Review', 'Approved', 'Provisioned', 'Failed', 'Completed', 'Cancelled'],
  Activation_Type__c: ['Immediate', 'Scheduled'],
  Activation_Status__c: ['Not Started', 'Activating', 'Activated', 'Failed'],
};

/** Fields a client may write on Order; the others it reads only. */
export const WRITABLE_ORDER_FIELDS = new Set([
  'AccountId',
  'EffectiveDate',
  'Status',
  'Description',
  'Handover_Order_Id__c',
  'Product2Id__c',
  'Activation_Type__c',
  'Activation_Scheduled_At__c',
  'Activation_Status__c',
  'Activation_Error_Code__c',
  'Activation_Error_Message__c',
  'WHMCS_Order_ID__c',
  'WHMCS_Service_ID__c',
  'WHMCS_Invoice_ID__c',
  'ESIM_ICCID__c',
]);
export const READ_ONLY_ORDER_FIELDS = new Set(['Id', 'OrderNumber', 'CreatedDate', 'LastModifiedDate']);

export const ACCOUNTS: Account[] = [
  {
    Id: '001Sb00000000001AA',
    Name: 'Yamada Household',
    Customer_Number__c: 'CN-0042',
    Internet_Eligibility__c: 'Home 1G;Home 10G',
  },
  {
    Id: '001Sb00000000002AA',
    Name: 'Sato Apartment',
    Customer_Number__c: 'CN-0043',
    Internet_Eligibility__c: 'Apartment 1G',
  },
  { Id: '001Sb00000000003AA', Name: 'Suzuki (no fibre)', Customer_Number__c: 'CN-0044', Internet_Eligibility__c: null },
];

const product = (
  n: number,
  Name: string,
  Family: string,
  Eligibility_Requirement__c: string | null,
  WHMCS_Product_Id__c: number,
  UnitPrice: number,
  Portal_Visible__c = true,
): Product => ({
  Id: `01tSb0000000000${n}AA`,
  Name,
  ProductCode: Name.toUpperCase().replace(/[^A-Z0-9]+/g, '-'),
  Family,
  IsActive: true,
  Portal_Visible__c,
  Eligibility_Requirement__c,
  WHMCS_Product_Id__c,
  Billing_Cycle__c: 'Monthly',
  UnitPrice,
});

export const PRODUCTS: Product[] = [
  product(1, 'Home Internet 1G', 'Internet', 'Home 1G', 1, 49),
  product(2, 'Home Internet 10G', 'Internet', 'Home 10G', 1, 69),
  product(3, 'Apartment Internet 1G', 'Internet', 'Apartment 1G', 1, 39),
  product(4, 'eSIM Data 5GB', 'SIM', null, 2, 15),
  product(5, 'VPN Router', 'VPN', null, 3, 9),
  product(6, 'Legacy DSL', 'Internet', null, 1, 29, false),
];

/** A record id in Salesforce's 18-character form with the object's key prefix. */
export function recordId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = prefix;
  while (id.length < 18) id += alphabet[randomInt(0, alphabet.length)];
  return id;
}

/**
 * Checks a PATCH or POST body against Order's fields as Salesforce does: unknown fields,
 * read-only fields and values outside a restricted picklist are refused, naming the field.
 */
export function orderFieldErrors(fields: Record<string, unknown>): SalesforceError[] {
  const errors: SalesforceError[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (READ_ONLY_ORDER_FIELDS.has(name)) {
      errors.push({
        message: `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: [name],
      });
    } else if (!WRITABLE_ORDER_FIELDS.has(name)) {
      errors.push({ message: `No such column '${name}' on sobject of type Order`, errorCode: 'INVALID_FIELD' });
    } else if (value !== null && typeof value === 'object') {
      errors.push({
        message: `Cannot deserialize instance of ${name} from an object value`,
        errorCode: 'JSON_PARSER_ERROR',
      });
    } else if (PICKLISTS[name] && !PICKLISTS[name].includes(String(value))) {
      errors.push({
        message: `${name}: bad value for restricted picklist field: ${String(value)}`,
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        fields: [name],
      });
    }
  }
  return errors;
}
