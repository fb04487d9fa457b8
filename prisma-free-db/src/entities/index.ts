import { ActivityLog, AdminAlert, AdminAlertEvent } from './activity';
import { ApiToken, ApiTokenRateLimit } from './apiTokens';
import { BillingAccount, OperatorOrder } from './billing';
import { Product } from './catalog';
import { BundlePurchaseGuard, ResellerShop } from './dataBundles';
import { DnsCheck } from './dns';
import { EsimProfile } from './esim';
import { DomainEvent } from './events';
import { FulfillmentLog, FulfillmentRecord, FulfillmentStep, ManualTask, RecordAction } from './fulfillment';
import { InventoryItem, InventoryPool } from './inventory';
import { DomainTransfer, OrderAutomation, OrderEmail, PlatformCredential } from './mailboxes';
import {
  DedicatedInstance,
  DownloadEntitlement,
  DownloadLog,
  ExternalTenantLink,
  License,
  LicenseActivation,
} from './marketplace';
import { Notification, OutboxMessage, SmsOptOut } from './messaging';
import { Order, OrderItem, PendingOrder } from './orders';
import { Payment, PaymentEvent, Refund, Subscription } from './payments';
import { PendingCompensation, ProviderCircuit, ProviderRateLimit } from './resilience';
import {
  EmailVerificationToken,
  IdempotencyRecord,
  KeyRingEntry,
  LoginAttempt,
  OperatorNonce,
  PasswordResetToken,
  ThrottleCounter,
} from './security';
import { StaffInvite, StaffNote } from './staff';
import { Session, User } from './users';
import { WalletAccount, WalletEntry } from './wallet';
import { WebhookAttempt, WebhookDelivery, WebhookDispatchCursor, WebhookEndpoint } from './webhooks';
import { WorkerNode } from './workers';

export * from './activity';
export * from './apiTokens';
export * from './billing';
export * from './catalog';
export * from './dataBundles';
export * from './dns';
export * from './esim';
export * from './events';
export * from './fulfillment';
export * from './inventory';
export * from './mailboxes';
export * from './marketplace';
export * from './messaging';
export * from './orders';
export * from './payments';
export * from './resilience';
export * from './security';
export * from './staff';
export * from './users';
export * from './wallet';
export * from './webhooks';
export * from './workers';

export const entities = [
  User,
  Session,
  ApiToken,
  ApiTokenRateLimit,
  PasswordResetToken,
  EmailVerificationToken,
  ThrottleCounter,
  LoginAttempt,
  OperatorNonce,
  IdempotencyRecord,
  Product,
  PendingOrder,
  Order,
  OrderItem,
  PaymentEvent,
  Subscription,
  Payment,
  Refund,
  WalletAccount,
  WalletEntry,
  FulfillmentRecord,
  FulfillmentStep,
  FulfillmentLog,
  ManualTask,
  RecordAction,
  InventoryPool,
  InventoryItem,
  DnsCheck,
  PlatformCredential,
  DomainTransfer,
  OrderAutomation,
  OrderEmail,
  KeyRingEntry,
  ExternalTenantLink,
  DedicatedInstance,
  License,
  LicenseActivation,
  DownloadEntitlement,
  DownloadLog,
  ActivityLog,
  AdminAlert,
  AdminAlertEvent,
  DomainEvent,
  Notification,
  OutboxMessage,
  SmsOptOut,
  EsimProfile,
  ResellerShop,
  BundlePurchaseGuard,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  WebhookDispatchCursor,
  WorkerNode,
  BillingAccount,
  OperatorOrder,
  PendingCompensation,
  ProviderRateLimit,
  ProviderCircuit,
  StaffNote,
  StaffInvite,
];
