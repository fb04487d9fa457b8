import { ActivityLog, AdminAlert } from './activity';
import { Product } from './catalog';
import { DnsCheck } from './dns';
import { FulfillmentLog, FulfillmentRecord, FulfillmentStep, ManualTask } from './fulfillment';
import { InventoryItem, InventoryPool } from './inventory';
import { Notification, OutboxMessage } from './messaging';
import { Order, OrderItem, PendingOrder } from './orders';
import { PaymentEvent } from './payments';
import { IdempotencyRecord, LoginAttempt, OperatorNonce, PasswordResetToken } from './security';
import { Session, User } from './users';
import { WorkerNode } from './workers';

export * from './activity';
export * from './catalog';
export * from './dns';
export * from './fulfillment';
export * from './inventory';
export * from './messaging';
export * from './orders';
export * from './payments';
export * from './security';
export * from './status';
export * from './users';
export * from './workers';

export const entities = [
  User,
  Session,
  PasswordResetToken,
  LoginAttempt,
  OperatorNonce,
  IdempotencyRecord,
  Product,
  PendingOrder,
  Order,
  OrderItem,
  PaymentEvent,
  FulfillmentRecord,
  FulfillmentStep,
  FulfillmentLog,
  ManualTask,
  InventoryPool,
  InventoryItem,
  DnsCheck,
  ActivityLog,
  AdminAlert,
  Notification,
  OutboxMessage,
  WorkerNode,
];
