import { Migration } from '@mikro-orm/migrations';

export class Migration20261203100811_marketplace_products extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "licenses" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "order_id" uuid not null, "user_id" uuid not null, "product_id" uuid not null, "signing_key_ref" varchar(120) not null, "product_code" varchar(32) not null, "licensee" varchar(200) not null default '', "key_hash" varchar(64) not null, "key_encrypted" text not null, "key_hint" varchar(16) not null, "activation_limit" int not null, "status" text check ("status" in ('active', 'suspended', 'revoked')) not null default 'active', "status_reason" varchar(300) null, "issued_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "licenses_pkey" primary key ("id"));`);
    this.addSql(`alter table "licenses" add constraint "licenses_record_id_unique" unique ("record_id");`);
    this.addSql(`create index "licenses_order_id_index" on "licenses" ("order_id");`);
    this.addSql(`create index "licenses_user_id_index" on "licenses" ("user_id");`);
    this.addSql(`alter table "licenses" add constraint "licenses_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "license_activations" ("id" uuid not null default gen_random_uuid(), "license_id" uuid not null, "instance_id" varchar(200) not null, "label" varchar(200) not null default '', "status" text check ("status" in ('active', 'deactivated')) not null default 'active', "activated_at" timestamptz not null, "deactivated_at" timestamptz null, "last_seen_at" timestamptz not null, "last_ip" varchar(64) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "license_activations_pkey" primary key ("id"));`);
    this.addSql(`create index "license_activations_license_id_index" on "license_activations" ("license_id");`);
    this.addSql(`alter table "license_activations" add constraint "license_activations_license_id_instance_id_unique" unique ("license_id", "instance_id");`);

    this.addSql(`create table "key_ring_entries" ("id" uuid not null default gen_random_uuid(), "ref" varchar(120) not null, "kind" text check ("kind" in ('hmac_secret', 'ed25519_signing_key')) not null, "secret_encrypted" text not null, "public_key" text null, "hint" varchar(16) null, "description" varchar(300) not null default '', "created_by_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "key_ring_entries_pkey" primary key ("id"));`);
    this.addSql(`alter table "key_ring_entries" add constraint "key_ring_entries_ref_unique" unique ("ref");`);

    this.addSql(`create table "external_tenant_links" ("id" uuid not null default gen_random_uuid(), "fulfillment_record_id" uuid not null, "user_id" uuid not null, "provider" varchar(120) not null, "external_tenant_id" varchar(200) not null, "external_subscription_id" varchar(200) null, "external_user_id" varchar(200) null, "plan" varchar(60) null, "status" text check ("status" in ('provisioning', 'active', 'suspended', 'cancelled')) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "external_tenant_links_pkey" primary key ("id"));`);
    this.addSql(`alter table "external_tenant_links" add constraint "external_tenant_links_fulfillment_record_id_unique" unique ("fulfillment_record_id");`);
    this.addSql(`create index "external_tenant_links_user_id_index" on "external_tenant_links" ("user_id");`);
    this.addSql(`create index "external_tenant_links_external_tenant_id_index" on "external_tenant_links" ("external_tenant_id");`);

    this.addSql(`create table "download_entitlements" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "order_id" uuid not null, "user_id" uuid not null, "product_id" uuid not null, "files" jsonb not null, "status" text check ("status" in ('active', 'suspended', 'revoked')) not null default 'active', "status_reason" varchar(300) null, "link_ttl_minutes" int not null, "max_downloads" int null, "expires_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "download_entitlements_pkey" primary key ("id"));`);
    this.addSql(`alter table "download_entitlements" add constraint "download_entitlements_record_id_unique" unique ("record_id");`);
    this.addSql(`create index "download_entitlements_order_id_index" on "download_entitlements" ("order_id");`);
    this.addSql(`create index "download_entitlements_user_id_index" on "download_entitlements" ("user_id");`);

    this.addSql(`create table "download_logs" ("id" bigserial primary key, "entitlement_id" uuid null, "file_key" varchar(250) null, "outcome" text check ("outcome" in ('served', 'refused')) not null, "reason" varchar(64) null, "bytes" bigint null, "ip" varchar(64) null, "user_agent" varchar(500) null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "download_logs_entitlement_id_file_key_outcome_index" on "download_logs" ("entitlement_id", "file_key", "outcome");`);
    this.addSql(`create index "download_logs_created_at_index" on "download_logs" ("created_at");`);

    this.addSql(`create table "dedicated_instances" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "user_id" uuid not null, "provider_instance_id" varchar(120) not null, "template" varchar(64) not null, "plan" varchar(64) not null, "region" varchar(64) not null, "hostname" varchar(253) not null, "cname_target" varchar(253) null, "url" varchar(2048) null, "admin_username" varchar(320) null, "admin_password_encrypted" text null, "status" text check ("status" in ('provisioning', 'ready', 'suspended', 'failed', 'deleted')) not null default 'provisioning', "ready_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "dedicated_instances_pkey" primary key ("id"));`);
    this.addSql(`alter table "dedicated_instances" add constraint "dedicated_instances_record_id_unique" unique ("record_id");`);
    this.addSql(`create index "dedicated_instances_user_id_index" on "dedicated_instances" ("user_id");`);
    this.addSql(`alter table "dedicated_instances" add constraint "dedicated_instances_provider_instance_id_unique" unique ("provider_instance_id");`);

    this.addSql(`alter table "licenses" add constraint "licenses_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "licenses" add constraint "licenses_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "licenses" add constraint "licenses_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "licenses" add constraint "licenses_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade;`);

    this.addSql(`alter table "license_activations" add constraint "license_activations_license_id_foreign" foreign key ("license_id") references "licenses" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "key_ring_entries" add constraint "key_ring_entries_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "external_tenant_links" add constraint "external_tenant_links_fulfillment_record_id_foreign" foreign key ("fulfillment_record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "external_tenant_links" add constraint "external_tenant_links_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "download_entitlements" add constraint "download_entitlements_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_entitlements" add constraint "download_entitlements_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_entitlements" add constraint "download_entitlements_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "download_entitlements" add constraint "download_entitlements_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade;`);

    this.addSql(`alter table "download_logs" add constraint "download_logs_entitlement_id_foreign" foreign key ("entitlement_id") references "download_entitlements" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "dedicated_instances" add constraint "dedicated_instances_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "dedicated_instances" add constraint "dedicated_instances_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "subscriptions" drop constraint if exists "subscriptions_status_check";`);

    this.addSql(`alter table "subscriptions" add column "current_period_end" timestamptz null, add column "cancel_at_period_end" boolean not null default false, add column "cancel_requested_at" timestamptz null, add column "grace_ends_at" timestamptz null, add column "last_payment_failed_at" timestamptz null, add column "last_payment_error" text null, add column "reminders_sent" int not null default 0, add column "last_reminder_at" timestamptz null, add column "suspended_at" timestamptz null;`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_status_check" check("status" in ('active', 'past_due', 'suspended', 'cancelled'));`);
    this.addSql(`create index "subscriptions_status_grace_ends_at_index" on "subscriptions" ("status", "grace_ends_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "license_activations" drop constraint "license_activations_license_id_foreign";`);

    this.addSql(`alter table "download_logs" drop constraint "download_logs_entitlement_id_foreign";`);

    this.addSql(`drop table if exists "licenses" cascade;`);

    this.addSql(`drop table if exists "license_activations" cascade;`);

    this.addSql(`drop table if exists "key_ring_entries" cascade;`);

    this.addSql(`drop table if exists "external_tenant_links" cascade;`);

    this.addSql(`drop table if exists "download_entitlements" cascade;`);

    this.addSql(`drop table if exists "download_logs" cascade;`);

    this.addSql(`drop table if exists "dedicated_instances" cascade;`);

    this.addSql(`alter table "subscriptions" drop constraint if exists "subscriptions_status_check";`);

    this.addSql(`drop index "subscriptions_status_grace_ends_at_index";`);
    this.addSql(`alter table "subscriptions" drop column "current_period_end", drop column "cancel_at_period_end", drop column "cancel_requested_at", drop column "grace_ends_at", drop column "last_payment_failed_at", drop column "last_payment_error", drop column "reminders_sent", drop column "last_reminder_at", drop column "suspended_at";`);

    this.addSql(`alter table "subscriptions" add constraint "subscriptions_status_check" check("status" in ('active', 'cancelled'));`);
  }

}
