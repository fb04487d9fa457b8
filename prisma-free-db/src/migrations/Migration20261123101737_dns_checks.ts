import { Migration } from '@mikro-orm/migrations';

export class Migration20261123101737_dns_checks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "dns_checks" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "order_id" uuid not null, "domain" varchar(255) not null, "expected_nameservers" jsonb not null, "status" text check ("status" in ('pending_verification', 'verified')) not null default 'pending_verification', "failed_checks" int not null default 0, "last_checked_at" timestamptz null, "next_check_at" timestamptz not null, "last_seen_nameservers" jsonb null, "last_error" text null, "verified_at" timestamptz null, "alerted_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "dns_checks_pkey" primary key ("id"));`);
    this.addSql(`alter table "dns_checks" add constraint "dns_checks_record_id_unique" unique ("record_id");`);
    this.addSql(`create index "dns_checks_order_id_index" on "dns_checks" ("order_id");`);
    this.addSql(`create index "dns_checks_status_next_check_at_index" on "dns_checks" ("status", "next_check_at");`);

    this.addSql(`alter table "dns_checks" add constraint "dns_checks_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "dns_checks" add constraint "dns_checks_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "dns_checks" cascade;`);
  }

}
