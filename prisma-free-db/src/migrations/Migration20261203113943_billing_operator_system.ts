import { Migration } from '@mikro-orm/migrations';

export class Migration20261203113943_billing_operator_system extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "operator_orders" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "operator_order_id" varchar(64) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "operator_orders_pkey" primary key ("id"));`);
    this.addSql(`alter table "operator_orders" add constraint "operator_orders_order_id_unique" unique ("order_id");`);
    this.addSql(`alter table "operator_orders" add constraint "operator_orders_operator_order_id_unique" unique ("operator_order_id");`);

    this.addSql(`create table "billing_accounts" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "system" varchar(32) not null, "external_client_id" varchar(64) not null, "customer_number" varchar(32) null, "operator_account_id" varchar(64) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "billing_accounts_pkey" primary key ("id"));`);
    this.addSql(`alter table "billing_accounts" add constraint "billing_accounts_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "billing_accounts" add constraint "billing_accounts_system_external_client_id_unique" unique ("system", "external_client_id");`);

    this.addSql(`alter table "operator_orders" add constraint "operator_orders_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "billing_accounts" add constraint "billing_accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms', 'operator_system'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "operator_orders" cascade;`);

    this.addSql(`drop table if exists "billing_accounts" cascade;`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms'));`);
  }

}
