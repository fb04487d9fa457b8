import { Migration } from '@mikro-orm/migrations';

export class Migration20261203085604_private_smtp extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "platform_credentials" ("id" uuid not null default gen_random_uuid(), "order_id" uuid null, "platform_type" text check ("platform_type" in ('spaceship', 'namecheap')) not null, "credentials_encrypted" text not null, "hint" jsonb not null, "owner_email" varchar(320) not null, "draft_notified_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "platform_credentials_pkey" primary key ("id"));`);
    this.addSql(`create index "platform_credentials_order_id_index" on "platform_credentials" ("order_id");`);

    this.addSql(`create table "order_automations" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "record_id" uuid not null, "provider_type" varchar(64) not null default 'Private SMTP', "action_type" text check ("action_type" in ('mailbox', 'domain')) not null, "domain" varchar(255) not null, "idempotency_key" varchar(255) not null, "job_uuid" varchar(255) null, "status" text check ("status" in ('pending', 'completed', 'failed')) not null default 'pending', "mailbox_count" int not null default 0, "response_data" jsonb null, "error_message" text null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "order_automations_pkey" primary key ("id"));`);
    this.addSql(`create index "order_automations_order_id_index" on "order_automations" ("order_id");`);
    this.addSql(`create index "order_automations_record_id_index" on "order_automations" ("record_id");`);
    this.addSql(`create index "order_automations_domain_index" on "order_automations" ("domain");`);
    this.addSql(`alter table "order_automations" add constraint "order_automations_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "order_automations_job_uuid_index" on "order_automations" ("job_uuid");`);
    this.addSql(`create index "order_automations_status_created_at_index" on "order_automations" ("status", "created_at");`);
    this.addSql(`create index "order_automations_created_at_id_index" on "order_automations" ("created_at", "id");`);

    this.addSql(`create table "order_emails" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "user_id" uuid not null, "record_id" uuid not null, "automation_id" uuid null, "domain" varchar(255) not null, "email" varchar(320) not null, "name" varchar(255) not null, "first_name" varchar(255) not null, "last_name" varchar(255) not null, "password_encrypted" text not null, "mailin_mailbox_id" int null, "mailin_domain_id" int null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "order_emails_pkey" primary key ("id"));`);
    this.addSql(`create index "order_emails_record_id_index" on "order_emails" ("record_id");`);
    this.addSql(`alter table "order_emails" add constraint "order_emails_email_unique" unique ("email");`);
    this.addSql(`create index "order_emails_order_id_domain_index" on "order_emails" ("order_id", "domain");`);

    this.addSql(`create table "domain_transfers" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "record_id" uuid not null, "domain_name" varchar(255) not null, "hosting_platform" text check ("hosting_platform" in ('spaceship', 'namecheap')) not null, "name_servers" jsonb not null, "status" text check ("status" in ('pending', 'completed', 'failed')) not null default 'pending', "name_server_status" text check ("name_server_status" in ('updated', 'failed')) null, "response_data" jsonb null, "error_message" text null, "error_code" varchar(64) null, "checks" int not null default 0, "last_checked_at" timestamptz null, "next_check_at" timestamptz null, "alerted_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "domain_transfers_pkey" primary key ("id"));`);
    this.addSql(`create index "domain_transfers_order_id_index" on "domain_transfers" ("order_id");`);
    this.addSql(`create index "domain_transfers_record_id_index" on "domain_transfers" ("record_id");`);
    this.addSql(`create index "domain_transfers_domain_name_index" on "domain_transfers" ("domain_name");`);
    this.addSql(`create index "domain_transfers_status_next_check_at_index" on "domain_transfers" ("status", "next_check_at");`);
    this.addSql(`create index "domain_transfers_created_at_id_index" on "domain_transfers" ("created_at", "id");`);
    this.addSql(`alter table "domain_transfers" add constraint "domain_transfers_record_id_domain_name_unique" unique ("record_id", "domain_name");`);

    this.addSql(`alter table "platform_credentials" add constraint "platform_credentials_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_automations" add constraint "order_automations_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_automations" add constraint "order_automations_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_emails" add constraint "order_emails_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_emails" add constraint "order_emails_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "order_emails" add constraint "order_emails_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_emails" add constraint "order_emails_automation_id_foreign" foreign key ("automation_id") references "order_automations" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "domain_transfers" add constraint "domain_transfers_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "domain_transfers" add constraint "domain_transfers_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "order_emails" drop constraint "order_emails_automation_id_foreign";`);

    this.addSql(`drop table if exists "platform_credentials" cascade;`);

    this.addSql(`drop table if exists "order_automations" cascade;`);

    this.addSql(`drop table if exists "order_emails" cascade;`);

    this.addSql(`drop table if exists "domain_transfers" cascade;`);
  }

}
