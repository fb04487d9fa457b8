import { Migration } from '@mikro-orm/migrations';

export class Migration20261203095906_review_activation_esim extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "record_actions" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "action" varchar(64) not null, "input" jsonb not null default '{}', "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null default 'pending', "result" jsonb null, "error" text null, "error_code" varchar(64) null, "requested_by_type" text check ("requested_by_type" in ('system', 'user', 'api')) not null, "requested_by_id" varchar(255) null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "record_actions_pkey" primary key ("id"));`);
    this.addSql(`create index "record_actions_record_id_created_at_index" on "record_actions" ("record_id", "created_at");`);
    this.addSql(`create unique index "record_actions_one_pending" on "record_actions" ("record_id", "action") where "status" = 'pending';`);

    this.addSql(`create table "esim_profiles" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "order_id" uuid not null, "user_id" uuid not null, "iccid" varchar(32) not null, "esim_tran_no" varchar(64) not null, "provider_order_no" varchar(64) not null, "package_code" varchar(64) not null, "status" varchar(32) not null, "smdp_status" varchar(32) not null, "activation_code_encrypted" text not null, "qr_code_encrypted" text null, "total_volume_bytes" bigint not null, "used_bytes" bigint not null default 0, "expires_at" timestamptz null, "replaced_at" timestamptz null, "replaced_by_id" uuid null, "last_synced_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "esim_profiles_pkey" primary key ("id"));`);
    this.addSql(`create index "esim_profiles_order_id_index" on "esim_profiles" ("order_id");`);
    this.addSql(`create index "esim_profiles_user_id_index" on "esim_profiles" ("user_id");`);
    this.addSql(`alter table "esim_profiles" add constraint "esim_profiles_iccid_unique" unique ("iccid");`);
    this.addSql(`create index "esim_profiles_record_id_created_at_index" on "esim_profiles" ("record_id", "created_at");`);

    this.addSql(`alter table "record_actions" add constraint "record_actions_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "esim_profiles" add constraint "esim_profiles_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "esim_profiles" add constraint "esim_profiles_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "esim_profiles" add constraint "esim_profiles_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "products" add column "activation_date_by_customer" boolean not null default false, add column "service_rules" jsonb not null default '{}';`);

    this.addSql(`alter table "users" add column "company" varchar(200) null, add column "customer_number" varchar(32) null, add column "address" jsonb null, add column "date_of_birth" date null;`);

    this.addSql(`alter table "pending_orders" add column "group_id" uuid null;`);
    this.addSql(`create index "pending_orders_group_id_index" on "pending_orders" ("group_id");`);

    this.addSql(`alter table "orders" add column "review_decision" text check ("review_decision" in ('approved', 'rejected')) null, add column "reviewed_at" timestamptz null, add column "reviewed_by" varchar(320) null, add column "review_reason" text null, add column "activation_type" text check ("activation_type" in ('immediate', 'scheduled')) not null default 'immediate', add column "activation_scheduled_at" timestamptz null, add column "activation_time_zone" varchar(64) null, add column "activation_preflight_at" timestamptz null, add column "activation_started_at" timestamptz null, add column "preflight_checked_at" timestamptz null, add column "preflight_problems" jsonb null, add column "service_kind" varchar(64) null, add column "billing_address" jsonb null;`);
    this.addSql(`create index "orders_pending_review_index" on "orders" ("created_at") where "status" = 'pending_review';`);
    this.addSql(`create index "orders_activation_due_index" on "orders" ("activation_scheduled_at") where "activation_type" = 'scheduled' and "activation_started_at" is null;`);
    this.addSql(`create index "orders_user_service_kind_index" on "orders" ("user_id", "service_kind") where "service_kind" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "record_actions" cascade;`);

    this.addSql(`drop table if exists "esim_profiles" cascade;`);

    this.addSql(`drop index "orders_pending_review_index";`);
    this.addSql(`drop index "orders_activation_due_index";`);
    this.addSql(`drop index "orders_user_service_kind_index";`);
    this.addSql(`alter table "orders" drop column "review_decision", drop column "reviewed_at", drop column "reviewed_by", drop column "review_reason", drop column "activation_type", drop column "activation_scheduled_at", drop column "activation_time_zone", drop column "activation_preflight_at", drop column "activation_started_at", drop column "preflight_checked_at", drop column "preflight_problems", drop column "service_kind", drop column "billing_address";`);

    this.addSql(`drop index "pending_orders_group_id_index";`);
    this.addSql(`alter table "pending_orders" drop column "group_id";`);

    this.addSql(`alter table "products" drop column "activation_date_by_customer", drop column "service_rules";`);

    this.addSql(`alter table "users" drop column "company", drop column "customer_number", drop column "address", drop column "date_of_birth";`);
  }

}
