import { Migration } from '@mikro-orm/migrations';

export class Migration20261203101036_developers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_tokens" ("id" uuid not null default gen_random_uuid(), "kind" text check ("kind" in ('personal', 'service')) not null default 'personal', "name" varchar(100) not null, "user_id" uuid not null, "scopes" text[] not null, "token_hash" varchar(64) not null, "token_hint" varchar(16) not null, "expires_at" timestamptz not null, "last_used_at" timestamptz null, "last_used_ip" varchar(64) null, "last_used_user_agent" text null, "revoked_at" timestamptz null, "revoked_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "api_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "api_tokens_user_id_created_at_index" on "api_tokens" ("user_id", "created_at");`);

    this.addSql(`create table "webhook_dispatch_cursor" ("id" smallint not null, "txid" bigint not null, "event_id" uuid not null, "updated_at" timestamptz not null default now(), constraint "webhook_dispatch_cursor_pkey" primary key ("id"));`);

    this.addSql(`create table "webhook_endpoints" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "all_orders" boolean not null default false, "url" text not null, "description" varchar(200) null, "events" text[] not null, "secret_encrypted" text not null, "previous_secret_encrypted" text null, "previous_secret_expires_at" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" text null, "failing_since" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "webhook_endpoints_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoints_user_id_index" on "webhook_endpoints" ("user_id");`);

    this.addSql(`create table "webhook_deliveries" ("id" uuid not null default gen_random_uuid(), "endpoint_id" uuid not null, "event_id" uuid not null, "event_type" varchar(64) not null, "message_id" varchar(64) not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'delivered', 'failed')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_response_status" int null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "webhook_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_event_id_index" on "webhook_deliveries" ("event_id");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_message_id_unique" unique ("message_id");`);
    this.addSql(`create index "webhook_deliveries_endpoint_id_created_at_index" on "webhook_deliveries" ("endpoint_id", "created_at");`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_event_id_event_type_unique" unique ("endpoint_id", "event_id", "event_type");`);

    this.addSql(`create table "webhook_attempts" ("id" bigserial primary key, "delivery_id" uuid not null, "trigger" text check ("trigger" in ('scheduled', 'manual')) not null, "url" text not null, "request_headers" jsonb not null, "response_status" int null, "response_headers" jsonb null, "response_body" text null, "error" text null, "duration_ms" int not null, "attempted_at" timestamptz not null);`);
    this.addSql(`create index "webhook_attempts_delivery_id_attempted_at_index" on "webhook_attempts" ("delivery_id", "attempted_at");`);

    this.addSql(`alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_revoked_by_id_foreign" foreign key ("revoked_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_event_id_foreign" foreign key ("event_id") references "domain_events" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_attempts" add constraint "webhook_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "domain_events" add column "txid" bigint not null default ((pg_current_xact_id())::text)::bigint;`);
    this.addSql(`create index "domain_events_txid_brin" on "domain_events" using brin ("txid");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_endpoint_id_foreign";`);

    this.addSql(`alter table "webhook_attempts" drop constraint "webhook_attempts_delivery_id_foreign";`);

    this.addSql(`drop table if exists "api_tokens" cascade;`);

    this.addSql(`drop table if exists "webhook_dispatch_cursor" cascade;`);

    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`drop table if exists "webhook_attempts" cascade;`);

    this.addSql(`drop index "domain_events_txid_brin";`);
    this.addSql(`alter table "domain_events" drop column "txid";`);
  }

}
