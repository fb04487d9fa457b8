import { Migration } from '@mikro-orm/migrations';

export class Migration20261123101922_payments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "subscriptions" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "user_id" uuid not null, "gateway" text check ("gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null, "gateway_subscription_id" varchar(255) not null, "status" text check ("status" in ('active', 'cancelled')) not null default 'active', "last_renewed_at" timestamptz null, "cancelled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "subscriptions_pkey" primary key ("id"));`);
    this.addSql(`create index "subscriptions_order_id_index" on "subscriptions" ("order_id");`);
    this.addSql(`create index "subscriptions_user_id_index" on "subscriptions" ("user_id");`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_gateway_gateway_subscription_id_unique" unique ("gateway", "gateway_subscription_id");`);

    this.addSql(`create table "payments" ("id" uuid not null default gen_random_uuid(), "order_id" uuid null, "user_id" uuid not null, "subscription_id" uuid null, "gateway" text check ("gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null, "gateway_payment_id" varchar(255) not null, "purpose" text check ("purpose" in ('order', 'renewal', 'wallet_top_up')) not null, "amount_minor" int not null, "refunded_minor" int not null default 0, "currency" varchar(3) not null, "status" text check ("status" in ('succeeded', 'partially_refunded', 'refunded')) not null default 'succeeded', "paid_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "payments_pkey" primary key ("id"));`);
    this.addSql(`create index "payments_order_id_index" on "payments" ("order_id");`);
    this.addSql(`create index "payments_user_id_index" on "payments" ("user_id");`);
    this.addSql(`create index "payments_paid_at_index" on "payments" ("paid_at");`);
    this.addSql(`alter table "payments" add constraint "payments_gateway_gateway_payment_id_unique" unique ("gateway", "gateway_payment_id");`);

    this.addSql(`create table "refunds" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "payment_id" uuid not null, "gateway" text check ("gateway" in ('stripe', 'paypal', 'dodo', 'wallet', 'sandbox')) not null, "gateway_refund_id" varchar(255) null, "amount_minor" int not null, "currency" varchar(3) not null, "destination" text check ("destination" in ('gateway', 'wallet')) not null, "status" text check ("status" in ('pending', 'succeeded', 'failed')) not null default 'pending', "reason" text not null default '', "cancel_fulfillment" boolean not null default false, "requested_by_id" uuid null, "last_error" text null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "refunds_pkey" primary key ("id"));`);
    this.addSql(`create index "refunds_order_id_index" on "refunds" ("order_id");`);
    this.addSql(`create index "refunds_payment_id_index" on "refunds" ("payment_id");`);
    this.addSql(`alter table "refunds" add constraint "refunds_gateway_gateway_refund_id_unique" unique ("gateway", "gateway_refund_id");`);

    this.addSql(`create table "wallet_accounts" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "currency" varchar(3) not null, "balance_minor" int not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "wallet_accounts_pkey" primary key ("id"), constraint wallet_accounts_balance_minor_check check (balance_minor >= 0));`);
    this.addSql(`alter table "wallet_accounts" add constraint "wallet_accounts_user_id_currency_unique" unique ("user_id", "currency");`);

    this.addSql(`create table "wallet_entries" ("id" uuid not null default gen_random_uuid(), "account_id" uuid not null, "amount_minor" int not null, "balance_after_minor" int not null, "reason" text check ("reason" in ('top_up', 'purchase', 'refund')) not null, "reference" varchar(255) not null, "order_id" uuid null, "description" varchar(255) not null default '', "created_at" timestamptz not null default now(), constraint "wallet_entries_pkey" primary key ("id"), constraint wallet_entries_amount_minor_check check (amount_minor <> 0));`);
    this.addSql(`create index "wallet_entries_account_id_created_at_index" on "wallet_entries" ("account_id", "created_at");`);
    this.addSql(`alter table "wallet_entries" add constraint "wallet_entries_account_id_reference_unique" unique ("account_id", "reference");`);

    this.addSql(`alter table "subscriptions" add constraint "subscriptions_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "subscriptions" add constraint "subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "payments" add constraint "payments_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "payments" add constraint "payments_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "payments" add constraint "payments_subscription_id_foreign" foreign key ("subscription_id") references "subscriptions" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "refunds" add constraint "refunds_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "refunds" add constraint "refunds_payment_id_foreign" foreign key ("payment_id") references "payments" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "refunds" add constraint "refunds_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "wallet_accounts" add constraint "wallet_accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "wallet_entries" add constraint "wallet_entries_account_id_foreign" foreign key ("account_id") references "wallet_accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "wallet_entries" add constraint "wallet_entries_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "pending_orders" add column "purpose" text check ("purpose" in ('order', 'wallet_top_up')) not null default 'order', add column "last_payment_error" text null;`);
    this.addSql(`create index "pending_orders_status_expires_at_index" on "pending_orders" ("status", "expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payments" drop constraint "payments_subscription_id_foreign";`);

    this.addSql(`alter table "refunds" drop constraint "refunds_payment_id_foreign";`);

    this.addSql(`alter table "wallet_entries" drop constraint "wallet_entries_account_id_foreign";`);

    this.addSql(`drop table if exists "subscriptions" cascade;`);

    this.addSql(`drop table if exists "payments" cascade;`);

    this.addSql(`drop table if exists "refunds" cascade;`);

    this.addSql(`drop table if exists "wallet_accounts" cascade;`);

    this.addSql(`drop table if exists "wallet_entries" cascade;`);

    this.addSql(`drop index "pending_orders_status_expires_at_index";`);
    this.addSql(`alter table "pending_orders" drop column "purpose", drop column "last_payment_error";`);
  }

}
