import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090521_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "activity_logs" ("id" bigserial primary key, "action" varchar(100) not null, "description" text not null default '', "subject_type" varchar(64) not null, "subject_id" varchar(64) not null, "actor_type" text check ("actor_type" in ('system', 'user', 'api')) not null default 'system', "actor_id" varchar(255) null, "properties" jsonb not null default '{}', "created_at" timestamptz not null default now());`);
    this.addSql(`create index "activity_logs_subject_type_subject_id_index" on "activity_logs" ("subject_type", "subject_id");`);
    this.addSql(`create index "activity_logs_created_at_id_index" on "activity_logs" ("created_at", "id");`);

    this.addSql(`create table "inventory_pools" ("id" uuid not null default gen_random_uuid(), "slug" varchar(120) not null, "name" varchar(255) not null, "low_stock_threshold" int not null default 5, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "inventory_pools_pkey" primary key ("id"));`);
    this.addSql(`alter table "inventory_pools" add constraint "inventory_pools_slug_unique" unique ("slug");`);

    this.addSql(`create table "outbox" ("id" uuid not null default gen_random_uuid(), "channel" text check ("channel" in ('email', 'sms')) not null, "recipient" varchar(255) not null, "template" varchar(64) not null, "subject" varchar(255) null, "body" text not null, "data" jsonb not null default '{}', "status" text check ("status" in ('pending', 'sent', 'failed')) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "provider_message_id" varchar(255) null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_status_created_at_index" on "outbox" ("status", "created_at");`);

    this.addSql(`create table "payment_events" ("id" uuid not null default gen_random_uuid(), "gateway" text check ("gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null, "event_id" varchar(255) null, "type" varchar(255) null, "status" text check ("status" in ('received', 'processed', 'ignored', 'deferred', 'rejected')) not null default 'received', "order_id" uuid null, "pending_order_id" uuid null, "payment_id" varchar(255) null, "payload" jsonb null, "error" text null, "attempts" int not null default 0, "processed_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "payment_events_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_events_order_id_index" on "payment_events" ("order_id");`);
    this.addSql(`create index "payment_events_pending_order_id_index" on "payment_events" ("pending_order_id");`);
    this.addSql(`alter table "payment_events" add constraint "payment_events_gateway_event_id_unique" unique ("gateway", "event_id");`);

    this.addSql(`create table "products" ("id" uuid not null default gen_random_uuid(), "slug" varchar(120) not null, "name" varchar(255) not null, "description" text not null default '', "delivery_summary" text not null default '', "price_minor" int not null, "currency" varchar(3) not null default 'USD', "delivery_model" text check ("delivery_model" in ('domain_provisioning', 'mailbox_provisioning', 'data_bundle', 'saas_multitenant', 'saas_singletenant', 'self_hosted_license', 'self_hosted_download', 'managed_setup', 'hybrid', 'billing_service')) not null, "fulfillment_driver" varchar(64) not null, "fulfillment_config" jsonb not null default '{}', "external_provider" varchar(255) null, "external_product_ref" varchar(255) null, "enabled_payment_gateways" jsonb not null default '["sandbox"]', "default_payment_gateway" text check ("default_payment_gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null default 'sandbox', "retry_policy" jsonb null, "requires_review" boolean not null default false, "activation" text check ("activation" in ('immediate', 'scheduled')) not null default 'immediate', "is_recurring" boolean not null default false, "billing_interval" text check ("billing_interval" in ('month', 'year')) null, "supports_trial" boolean not null default false, "trial_days" int null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "products_pkey" primary key ("id"));`);
    this.addSql(`alter table "products" add constraint "products_slug_unique" unique ("slug");`);

    this.addSql(`create table "users" ("id" uuid not null default gen_random_uuid(), "email" varchar(320) not null, "password_hash" varchar(255) null, "name" varchar(255) null, "phone" varchar(32) null, "role" text check ("role" in ('customer', 'ops', 'finance', 'admin')) not null default 'customer', "failed_login_count" int not null default 0, "locked_until" timestamptz null, "last_login_at" timestamptz null, "disabled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "sessions" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "token_hash" varchar(64) not null, "ip" varchar(255) null, "user_agent" text null, "expires_at" timestamptz not null, "last_seen_at" timestamptz not null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "pending_orders" ("id" uuid not null default gen_random_uuid(), "user_id" uuid null, "email" varchar(320) not null, "phone" varchar(32) null, "items" jsonb not null, "amount_minor" int not null, "currency" varchar(3) not null, "payment_gateway" text check ("payment_gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null, "gateway_session_id" varchar(255) null, "status" text check ("status" in ('pending_payment', 'paid', 'expired', 'cancelled')) not null default 'pending_payment', "is_test" boolean not null default false, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "pending_orders_pkey" primary key ("id"));`);
    this.addSql(`create index "pending_orders_user_id_index" on "pending_orders" ("user_id");`);
    this.addSql(`create index "pending_orders_gateway_session_id_index" on "pending_orders" ("gateway_session_id");`);

    this.addSql(`create table "orders" ("id" uuid not null default gen_random_uuid(), "order_code" varchar(32) not null, "user_id" uuid not null, "email" varchar(320) not null, "phone" varchar(32) null, "pending_order_id" uuid null, "status" text check ("status" in ('pending_review', 'paid', 'partially_refunded', 'refunded', 'cancelled')) not null default 'paid', "fulfillment_status" text check ("fulfillment_status" in ('pending', 'processing', 'waiting', 'manual_pending', 'scheduled', 'completed', 'active', 'partially_failed', 'failed', 'cancelled', 'suspended')) not null default 'pending', "fulfillment_error" text null, "payment_gateway" text check ("payment_gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) null, "payment_reference" varchar(255) null, "amount_minor" int not null, "refunded_minor" int not null default 0, "currency" varchar(3) not null, "is_test" boolean not null default false, "paid_at" timestamptz null, "dns_status" text check ("dns_status" in ('not_applicable', 'pending_verification', 'verified')) not null default 'not_applicable', "dns_last_checked" timestamptz null, "nameservers" jsonb not null default '[]', "fulfillment_results" jsonb not null default '[]', "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "orders_pkey" primary key ("id"));`);
    this.addSql(`alter table "orders" add constraint "orders_order_code_unique" unique ("order_code");`);
    this.addSql(`create index "orders_user_id_index" on "orders" ("user_id");`);
    this.addSql(`create index "orders_email_index" on "orders" ("email");`);
    this.addSql(`alter table "orders" add constraint "orders_pending_order_id_unique" unique ("pending_order_id");`);
    this.addSql(`create index "orders_fulfillment_status_index" on "orders" ("fulfillment_status");`);
    this.addSql(`create index "orders_created_at_index" on "orders" ("created_at");`);

    this.addSql(`create table "order_items" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "product_id" uuid not null, "product_name" varchar(255) not null, "driver" varchar(64) not null, "quantity" int not null default 1, "unit_price_minor" int not null, "currency" varchar(3) not null, "input" jsonb not null, "created_at" timestamptz not null default now(), constraint "order_items_pkey" primary key ("id"));`);
    this.addSql(`create index "order_items_order_id_index" on "order_items" ("order_id");`);
    this.addSql(`create index "order_items_product_id_index" on "order_items" ("product_id");`);

    this.addSql(`create table "fulfillment_records" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "order_item_id" uuid not null, "product_id" uuid not null, "driver" varchar(64) not null, "position" int not null default 0, "subject" varchar(255) null, "status" text check ("status" in ('queued', 'processing', 'awaiting_inventory', 'awaiting_provider', 'awaiting_customer', 'manual_pending', 'scheduled', 'draft', 'completed', 'active', 'failed', 'cancelled', 'suspended')) not null default 'queued', "current_step" varchar(255) null, "attempts" int not null default 0, "max_attempts" int not null default 3, "poll_count" int not null default 0, "payload_snapshot" jsonb not null, "result" jsonb not null default '{}', "external_reference_id" varchar(255) null, "external_workspace_url" varchar(255) null, "external_customer_id" varchar(255) null, "last_error" text null, "last_error_code" varchar(255) null, "next_attempt_at" timestamptz null, "scheduled_for" timestamptz null, "is_test" boolean not null default false, "locked_by" varchar(255) null, "locked_until" timestamptz null, "started_at" timestamptz null, "completed_at" timestamptz null, "failed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "fulfillment_records_pkey" primary key ("id"));`);
    this.addSql(`create index "fulfillment_records_order_id_index" on "fulfillment_records" ("order_id");`);
    this.addSql(`create index "fulfillment_records_order_item_id_index" on "fulfillment_records" ("order_item_id");`);
    this.addSql(`create index "fulfillment_records_subject_index" on "fulfillment_records" ("subject");`);
    this.addSql(`create index "fulfillment_records_external_reference_id_index" on "fulfillment_records" ("external_reference_id");`);
    this.addSql(`create index "fulfillment_records_status_created_at_index" on "fulfillment_records" ("status", "created_at");`);
    this.addSql(`create index "fulfillment_records_driver_created_at_index" on "fulfillment_records" ("driver", "created_at");`);

    this.addSql(`create table "inventory_items" ("id" uuid not null default gen_random_uuid(), "pool_id" uuid not null, "email" varchar(320) not null, "secret_encrypted" text not null, "notes" text null, "status" text check ("status" in ('available', 'reserved', 'assigned', 'depleted')) not null default 'available', "order_id" uuid null, "record_id" uuid null, "customer_email" varchar(320) null, "domain" varchar(255) null, "reserved_date" timestamptz null, "assigned_date" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "inventory_items_pkey" primary key ("id"));`);
    this.addSql(`create index "inventory_items_order_id_index" on "inventory_items" ("order_id");`);
    this.addSql(`create index "inventory_items_record_id_index" on "inventory_items" ("record_id");`);
    this.addSql(`create index "inventory_items_pool_id_status_created_at_index" on "inventory_items" ("pool_id", "status", "created_at");`);
    this.addSql(`alter table "inventory_items" add constraint "inventory_items_pool_id_email_unique" unique ("pool_id", "email");`);

    this.addSql(`create table "fulfillment_steps" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "name" varchar(64) not null, "position" int not null, "status" text check ("status" in ('running', 'waiting', 'done', 'failed', 'compensated')) not null, "idempotency_key" varchar(255) not null, "output" jsonb null, "attempts" int not null default 0, "error" text null, "started_at" timestamptz null, "finished_at" timestamptz null, "compensated_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "fulfillment_steps_pkey" primary key ("id"));`);
    this.addSql(`alter table "fulfillment_steps" add constraint "fulfillment_steps_record_id_name_unique" unique ("record_id", "name");`);

    this.addSql(`create table "fulfillment_logs" ("id" bigserial primary key, "record_id" uuid null, "order_id" uuid null, "driver" varchar(64) null, "network" varchar(100) null, "phone_number" varchar(32) null, "subject" varchar(255) null, "kind" text check ("kind" in ('attempt', 'provider_call', 'transition', 'compensation')) not null, "step" varchar(64) null, "status" text check ("status" in ('pending', 'processing', 'success', 'failed')) not null, "attempt_number" int not null default 1, "max_attempts" int null, "method" varchar(10) null, "url" text null, "request" jsonb null, "api_response" jsonb null, "http_status" int null, "duration_ms" int null, "error_message" text null, "retry_after" timestamptz null, "fulfilled_at" timestamptz null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "fulfillment_logs_record_id_index" on "fulfillment_logs" ("record_id");`);
    this.addSql(`create index "fulfillment_logs_order_id_index" on "fulfillment_logs" ("order_id");`);
    this.addSql(`create index "fulfillment_logs_phone_number_index" on "fulfillment_logs" ("phone_number");`);
    this.addSql(`create index "fulfillment_logs_status_created_at_index" on "fulfillment_logs" ("status", "created_at");`);
    this.addSql(`create index "fulfillment_logs_driver_created_at_index" on "fulfillment_logs" ("driver", "created_at");`);
    this.addSql(`create index "fulfillment_logs_created_at_id_index" on "fulfillment_logs" ("created_at", "id");`);

    this.addSql(`create table "notifications" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "type" varchar(64) not null, "title" varchar(255) not null, "message" text not null, "data" jsonb not null default '{}', "read_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "notifications_pkey" primary key ("id"));`);
    this.addSql(`create index "notifications_user_id_created_at_index" on "notifications" ("user_id", "created_at");`);

    this.addSql(`create table "manual_tasks" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "step" varchar(64) not null, "queue" varchar(64) not null default 'ops', "title" varchar(255) not null, "instructions" text not null default '', "status" text check ("status" in ('open', 'in_progress', 'done', 'cancelled')) not null default 'open', "sla_hours" int null, "due_at" timestamptz null, "assignee_id" uuid null, "completed_by_id" uuid null, "completed_at" timestamptz null, "resolution" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "manual_tasks_pkey" primary key ("id"));`);
    this.addSql(`create index "manual_tasks_record_id_index" on "manual_tasks" ("record_id");`);
    this.addSql(`create index "manual_tasks_status_due_at_index" on "manual_tasks" ("status", "due_at");`);

    this.addSql(`create table "admin_alerts" ("id" uuid not null default gen_random_uuid(), "type" varchar(64) not null, "severity" text check ("severity" in ('info', 'warning', 'critical')) not null default 'warning', "message" text not null, "subject_type" varchar(64) null, "subject_id" varchar(64) null, "data" jsonb not null default '{}', "dedupe_key" varchar(255) null, "acknowledged_at" timestamptz null, "acknowledged_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "admin_alerts_pkey" primary key ("id"));`);
    this.addSql(`create index "admin_alerts_type_index" on "admin_alerts" ("type");`);
    this.addSql(`create index "admin_alerts_acknowledged_at_created_at_index" on "admin_alerts" ("acknowledged_at", "created_at");`);

    this.addSql(`create table "worker_nodes" ("id" varchar(64) not null, "hostname" varchar(255) not null, "pid" int not null, "worker_ids" jsonb not null default '[]', "heartbeat_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "worker_nodes_pkey" primary key ("id"));`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "pending_orders" add constraint "pending_orders_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "orders" add constraint "orders_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "orders" add constraint "orders_pending_order_id_foreign" foreign key ("pending_order_id") references "pending_orders" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_items" add constraint "order_items_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade;`);

    this.addSql(`alter table "fulfillment_records" add constraint "fulfillment_records_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "fulfillment_records" add constraint "fulfillment_records_order_item_id_foreign" foreign key ("order_item_id") references "order_items" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "fulfillment_records" add constraint "fulfillment_records_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade;`);

    this.addSql(`alter table "inventory_items" add constraint "inventory_items_pool_id_foreign" foreign key ("pool_id") references "inventory_pools" ("id") on update cascade;`);
    this.addSql(`alter table "inventory_items" add constraint "inventory_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "inventory_items" add constraint "inventory_items_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "fulfillment_steps" add constraint "fulfillment_steps_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "fulfillment_logs" add constraint "fulfillment_logs_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "fulfillment_logs" add constraint "fulfillment_logs_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notifications" add constraint "notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "manual_tasks" add constraint "manual_tasks_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "manual_tasks" add constraint "manual_tasks_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "manual_tasks" add constraint "manual_tasks_completed_by_id_foreign" foreign key ("completed_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "admin_alerts" add constraint "admin_alerts_acknowledged_by_id_foreign" foreign key ("acknowledged_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "inventory_items" drop constraint "inventory_items_pool_id_foreign";`);

    this.addSql(`alter table "order_items" drop constraint "order_items_product_id_foreign";`);

    this.addSql(`alter table "fulfillment_records" drop constraint "fulfillment_records_product_id_foreign";`);

    this.addSql(`alter table "sessions" drop constraint "sessions_user_id_foreign";`);

    this.addSql(`alter table "pending_orders" drop constraint "pending_orders_user_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_user_id_foreign";`);

    this.addSql(`alter table "notifications" drop constraint "notifications_user_id_foreign";`);

    this.addSql(`alter table "manual_tasks" drop constraint "manual_tasks_assignee_id_foreign";`);

    this.addSql(`alter table "manual_tasks" drop constraint "manual_tasks_completed_by_id_foreign";`);

    this.addSql(`alter table "admin_alerts" drop constraint "admin_alerts_acknowledged_by_id_foreign";`);

    this.addSql(`alter table "orders" drop constraint "orders_pending_order_id_foreign";`);

    this.addSql(`alter table "order_items" drop constraint "order_items_order_id_foreign";`);

    this.addSql(`alter table "fulfillment_records" drop constraint "fulfillment_records_order_id_foreign";`);

    this.addSql(`alter table "inventory_items" drop constraint "inventory_items_order_id_foreign";`);

    this.addSql(`alter table "fulfillment_logs" drop constraint "fulfillment_logs_order_id_foreign";`);

    this.addSql(`alter table "fulfillment_records" drop constraint "fulfillment_records_order_item_id_foreign";`);

    this.addSql(`alter table "inventory_items" drop constraint "inventory_items_record_id_foreign";`);

    this.addSql(`alter table "fulfillment_steps" drop constraint "fulfillment_steps_record_id_foreign";`);

    this.addSql(`alter table "fulfillment_logs" drop constraint "fulfillment_logs_record_id_foreign";`);

    this.addSql(`alter table "manual_tasks" drop constraint "manual_tasks_record_id_foreign";`);

    this.addSql(`drop table if exists "activity_logs" cascade;`);

    this.addSql(`drop table if exists "inventory_pools" cascade;`);

    this.addSql(`drop table if exists "outbox" cascade;`);

    this.addSql(`drop table if exists "payment_events" cascade;`);

    this.addSql(`drop table if exists "products" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "pending_orders" cascade;`);

    this.addSql(`drop table if exists "orders" cascade;`);

    this.addSql(`drop table if exists "order_items" cascade;`);

    this.addSql(`drop table if exists "fulfillment_records" cascade;`);

    this.addSql(`drop table if exists "inventory_items" cascade;`);

    this.addSql(`drop table if exists "fulfillment_steps" cascade;`);

    this.addSql(`drop table if exists "fulfillment_logs" cascade;`);

    this.addSql(`drop table if exists "notifications" cascade;`);

    this.addSql(`drop table if exists "manual_tasks" cascade;`);

    this.addSql(`drop table if exists "admin_alerts" cascade;`);

    this.addSql(`drop table if exists "worker_nodes" cascade;`);
  }

}
