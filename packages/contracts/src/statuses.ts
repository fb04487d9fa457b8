// Every state machine's values, spelled as the seeds spell them. Transitions live in
// @handover/core; the database only needs to know the allowed values.

export const USER_ROLES = ['customer', 'ops', 'finance', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The roles a staff invite may give (a customer signs up instead). */
export const STAFF_ROLES = ['ops', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a staff note is written on. */
export const NOTE_SUBJECTS = ['order', 'customer'] as const;
export type NoteSubject = (typeof NOTE_SUBJECTS)[number];

export const DELIVERY_MODELS = [
  'domain_provisioning',
  'mailbox_provisioning',
  'data_bundle',
  'saas_multitenant',
  'saas_singletenant',
  'self_hosted_license',
  'self_hosted_download',
  'managed_setup',
  'hybrid',
  'billing_service',
] as const;
export type DeliveryModel = (typeof DELIVERY_MODELS)[number];

export const PAYMENT_GATEWAYS = ['stripe', 'paypal', 'dodo', 'wallet', 'sandbox'] as const;
export type PaymentGatewayName = (typeof PAYMENT_GATEWAYS)[number];

export const PENDING_ORDER_STATUSES = ['pending_payment', 'paid', 'expired', 'cancelled'] as const;
export type PendingOrderStatus = (typeof PENDING_ORDER_STATUSES)[number];

/** What a pending order pays for: an order's items, or money into the customer's wallet (seed 002). */
export const PENDING_ORDER_PURPOSES = ['order', 'wallet_top_up'] as const;
export type PendingOrderPurpose = (typeof PENDING_ORDER_PURPOSES)[number];

/** Seed 004: an order that needs review waits in `pending_review` until an operator approves it. */
export const ORDER_STATUSES = [
  'pending_review',
  'approved',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Seed 004: an operator's decision on an order that waited for review. */
export const REVIEW_DECISIONS = ['approved', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Seed 004 5a: a service starts right after approval (or payment), or on a date (Activation_Type__c). */
export const ACTIVATION_TYPES = ['immediate', 'scheduled'] as const;
export type ActivationType = (typeof ACTIVATION_TYPES)[number];

/**
 * Seed 004's Activation_Status__c: Not Started → Activating → Activated / Failed. Derived from
 * the order's fulfillment records (see activationStatusOf), never stored.
 */
export const ACTIVATION_STATUSES = ['not_started', 'activating', 'activated', 'failed'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];

/** The order's view of its fulfillment, derived from its records (see core/fulfillment/orderStatus). */
export const ORDER_FULFILLMENT_STATUSES = [
  'pending',
  'processing',
  'waiting',
  'manual_pending',
  'scheduled',
  'completed',
  'active',
  'partially_failed',
  'failed',
  'cancelled',
  'suspended',
] as const;
export type OrderFulfillmentStatus = (typeof ORDER_FULFILLMENT_STATUSES)[number];

/** Seed 000: one domain's DNS verification (dns_checks.status). */
export const DNS_CHECK_STATUSES = ['pending_verification', 'verified'] as const;
export type DnsCheckStatus = (typeof DNS_CHECK_STATUSES)[number];

/** Seed 000: the order's dns_status; `not_applicable` for orders without a domain to verify. */
export const DNS_STATUSES = ['not_applicable', ...DNS_CHECK_STATUSES] as const;
export type DnsStatus = (typeof DNS_STATUSES)[number];

export const FULFILLMENT_STATUSES = [
  'queued',
  'processing',
  'awaiting_inventory',
  'awaiting_provider',
  'awaiting_customer',
  'manual_pending',
  'scheduled',
  'draft',
  'completed',
  'active',
  'failed',
  'cancelled',
  'suspended',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** Seed 001: where a private SMTP customer's domains are registered (platform_credentials.platform_type). */
export const HOSTING_PLATFORMS = ['spaceship', 'namecheap'] as const;
export type HostingPlatform = (typeof HOSTING_PLATFORMS)[number];

/** Seed 001: domain_transfers.status. */
export const DOMAIN_TRANSFER_STATUSES = ['pending', 'completed', 'failed'] as const;
export type DomainTransferStatus = (typeof DOMAIN_TRANSFER_STATUSES)[number];

/** Seed 001: domain_transfers.name_server_status, null until the registrar was asked. */
export const NAME_SERVER_STATUSES = ['updated', 'failed'] as const;
export type NameServerStatus = (typeof NAME_SERVER_STATUSES)[number];

/** Seed 001: order_automations.status (a Mailin.ai job). */
export const ORDER_AUTOMATION_STATUSES = ['pending', 'completed', 'failed'] as const;
export type OrderAutomationStatus = (typeof ORDER_AUTOMATION_STATUSES)[number];

/** Seed 001: order_automations.action_type. */
export const ORDER_AUTOMATION_ACTIONS = ['mailbox', 'domain'] as const;
export type OrderAutomationAction = (typeof ORDER_AUTOMATION_ACTIONS)[number];

export const STEP_STATUSES = ['running', 'waiting', 'done', 'failed', 'compensated'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const FULFILLMENT_LOG_KINDS = ['attempt', 'provider_call', 'transition', 'compensation', 'sync'] as const;
export type FulfillmentLogKind = (typeof FULFILLMENT_LOG_KINDS)[number];

/** Seed 002's fulfillment_logs.status values. */
export const FULFILLMENT_LOG_STATUSES = ['pending', 'processing', 'success', 'failed'] as const;
export type FulfillmentLogStatus = (typeof FULFILLMENT_LOG_STATUSES)[number];

/**
 * Seed 000's stock states, and `quarantined`: held back after a rollback that did not finish (the
 * vendor may still use the item), until the undo succeeds or ops decide.
 */
export const INVENTORY_STATUSES = ['available', 'reserved', 'assigned', 'depleted', 'quarantined'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/**
 * A failed record's undo that did not finish: `pending` while it is retried in the background,
 * `done` once it succeeded, `abandoned` when its attempts ran out (ops decide), `resolved` when ops did.
 */
export const COMPENSATION_STATUSES = ['pending', 'done', 'abandoned', 'resolved'] as const;
export type CompensationStatus = (typeof COMPENSATION_STATUSES)[number];

/** A vendor's circuit breaker in one worker process. */
export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export const MANUAL_TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ManualTaskStatus = (typeof MANUAL_TASK_STATUSES)[number];

export const PAYMENT_EVENT_STATUSES = ['received', 'processed', 'ignored', 'deferred', 'rejected'] as const;
export type PaymentEventStatus = (typeof PAYMENT_EVENT_STATUSES)[number];

/** What money came in for: an order's checkout, a subscription's renewal, a wallet top-up. */
export const PAYMENT_PURPOSES = ['order', 'renewal', 'wallet_top_up'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

export const PAYMENT_STATUSES = ['succeeded', 'partially_refunded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Where refunded money goes: back through the gateway that took it, or into the customer's wallet. */
export const REFUND_DESTINATIONS = ['gateway', 'wallet'] as const;
export type RefundDestination = (typeof REFUND_DESTINATIONS)[number];

/**
 * A subscription (seed 003 `is_recurring`): `past_due` while a failed renewal's grace period
 * runs, `suspended` once it ran out unpaid (delivery suspended), `cancelled` once it ended.
 */
export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'suspended', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** What a key-ring entry holds: a shared secret that signs calls, or a key pair that signs licences. */
export const KEY_RING_KINDS = ['hmac_secret', 'ed25519_signing_key'] as const;
export type KeyRingKind = (typeof KEY_RING_KINDS)[number];

/** A licence (seed 003 `self_hosted_license`): suspended with its subscription, revoked by a refund. */
export const LICENSE_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

export const LICENSE_ACTIVATION_STATUSES = ['active', 'deactivated'] as const;
export type LicenseActivationStatus = (typeof LICENSE_ACTIVATION_STATUSES)[number];

/** A customer's right to a product's files (seed 003 download entitlements). */
export const DOWNLOAD_ENTITLEMENT_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type DownloadEntitlementStatus = (typeof DOWNLOAD_ENTITLEMENT_STATUSES)[number];

/** Each download asked for is logged, served or refused. */
export const DOWNLOAD_OUTCOMES = ['served', 'refused'] as const;
export type DownloadOutcome = (typeof DOWNLOAD_OUTCOMES)[number];

/** A dedicated instance (seed 003 `saas_singletenant`) as Handover last saw it at the provider. */
export const DEDICATED_INSTANCE_STATUSES = ['provisioning', 'ready', 'suspended', 'failed', 'deleted'] as const;
export type DedicatedInstanceStatus = (typeof DEDICATED_INSTANCE_STATUSES)[number];

/** A tenant (seed 003 §8 `status`) as the provider last answered it. */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'cancelled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** Why a wallet's balance moved (seed 002: purchases debit the wallet). */
export const WALLET_ENTRY_REASONS = ['top_up', 'purchase', 'refund'] as const;
export type WalletEntryReason = (typeof WALLET_ENTRY_REASONS)[number];

/**
 * `operator_system`: seed 004's write-back of a provisioning's outcome to the operator's order;
 * `webhook`: a JSON post (Slack-compatible) to a URL, the channel ops alerts also take.
 */
export const OUTBOX_CHANNELS = ['email', 'sms', 'operator_system', 'webhook'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Where a sent text stands at the network, as its delivery report (read back from the SMS
 * provider) says; `delivered`, `undelivered`, `expired` and `rejected` are final.
 */
export const SMS_DELIVERY_STATUSES = [
  'queued',
  'submitted',
  'delivered',
  'undelivered',
  'expired',
  'rejected',
] as const;
export type SmsDeliveryStatus = (typeof SMS_DELIVERY_STATUSES)[number];

/** Who asked for a number never to be texted. */
export const SMS_OPT_OUT_SOURCES = ['customer', 'staff'] as const;
export type SmsOptOutSource = (typeof SMS_OPT_OUT_SOURCES)[number];

/** How a sign-in attempt ended; only `failed` counts towards a lockout. */
export const LOGIN_OUTCOMES = ['succeeded', 'failed', 'locked'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

export const IDEMPOTENCY_STATUSES = ['in_progress', 'completed'] as const;
export type IdempotencyStatus = (typeof IDEMPOTENCY_STATUSES)[number];

export const ACTOR_TYPES = ['system', 'user', 'api'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** A personal token acts for the person who made it; a service token is made by an admin for a system. */
export const API_TOKEN_KINDS = ['personal', 'service'] as const;
export type ApiTokenKind = (typeof API_TOKEN_KINDS)[number];

/** One outbound webhook message to one endpoint: waiting for (another) attempt, taken, or given up on. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Who asked for an attempt: the schedule, or a person's "Redeliver". */
export const WEBHOOK_ATTEMPT_TRIGGERS = ['scheduled', 'manual'] as const;
export type WebhookAttemptTrigger = (typeof WEBHOOK_ATTEMPT_TRIGGERS)[number];

/** Something asked of a delivered record besides its steps (an eSIM reissued): record_actions.status. */
export const RECORD_ACTION_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RecordActionStatus = (typeof RECORD_ACTION_STATUSES)[number];

/** An alert is open until its condition clears (a rule's) or a person acknowledges it (a one-off). */
export const ALERT_STATES = ['open', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** An alert's history: raised, seen again while open, sent to ops, resolved, acknowledged. */
export const ALERT_EVENT_KINDS = ['raised', 'repeated', 'notified', 'resolved', 'acknowledged'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];
