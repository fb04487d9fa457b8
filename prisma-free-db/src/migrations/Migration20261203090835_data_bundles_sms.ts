import { Migration } from '@mikro-orm/migrations';

export class Migration20261203090835_data_bundles_sms extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sms_opt_outs" ("phone_number" varchar(32) not null, "source" text check ("source" in ('customer', 'staff')) not null, "user_id" uuid null, "created_at" timestamptz not null default now(), constraint "sms_opt_outs_pkey" primary key ("phone_number"));`);

    this.addSql(`create table "reseller_shops" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "name" varchar(100) not null, "created_at" timestamptz not null default now(), constraint "reseller_shops_pkey" primary key ("id"));`);
    this.addSql(`alter table "reseller_shops" add constraint "reseller_shops_user_id_unique" unique ("user_id");`);

    this.addSql(`create table "bundle_purchase_guards" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "product_id" uuid not null, "phone_number" varchar(32) not null, "started_at" timestamptz not null, "order_code" varchar(32) null, "updated_at" timestamptz not null default now(), constraint "bundle_purchase_guards_pkey" primary key ("id"));`);
    this.addSql(`alter table "bundle_purchase_guards" add constraint "bundle_purchase_guards_user_id_product_id_phone_number_unique" unique ("user_id", "product_id", "phone_number");`);

    this.addSql(`alter table "sms_opt_outs" add constraint "sms_opt_outs_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "reseller_shops" add constraint "reseller_shops_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "bundle_purchase_guards" add constraint "bundle_purchase_guards_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "bundle_purchase_guards" add constraint "bundle_purchase_guards_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "outbox" add column "dedupe_key" varchar(255) null, add column "delivery_status" text check ("delivery_status" in ('queued', 'submitted', 'delivered', 'undelivered', 'expired', 'rejected')) null, add column "delivery_updated_at" timestamptz null;`);
    this.addSql(`alter table "outbox" add constraint "outbox_dedupe_key_unique" unique ("dedupe_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sms_opt_outs" cascade;`);

    this.addSql(`drop table if exists "reseller_shops" cascade;`);

    this.addSql(`drop table if exists "bundle_purchase_guards" cascade;`);

    this.addSql(`alter table "outbox" drop constraint "outbox_dedupe_key_unique";`);
    this.addSql(`alter table "outbox" drop column "dedupe_key", drop column "delivery_status", drop column "delivery_updated_at";`);
  }

}
