import { Migration } from '@mikro-orm/migrations';

export class Migration20261123093035_accounts_security extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_records" ("id" uuid not null default gen_random_uuid(), "scope" varchar(64) not null, "key" varchar(255) not null, "request_hash" varchar(64) not null, "status" text check ("status" in ('in_progress', 'completed')) not null default 'in_progress', "response_status" int null, "response_body" jsonb null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "idempotency_records_pkey" primary key ("id"));`);
    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_scope_key_unique" unique ("scope", "key");`);

    this.addSql(`create table "login_attempts" ("id" bigserial primary key, "email" varchar(320) not null, "ip" varchar(64) not null, "outcome" text check ("outcome" in ('succeeded', 'failed', 'locked')) not null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "login_attempts_email_created_at_index" on "login_attempts" ("email", "created_at");`);
    this.addSql(`create index "login_attempts_ip_created_at_index" on "login_attempts" ("ip", "created_at");`);

    this.addSql(`create table "operator_nonces" ("nonce" varchar(128) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "operator_nonces_pkey" primary key ("nonce"));`);
    this.addSql(`create index "operator_nonces_expires_at_index" on "operator_nonces" ("expires_at");`);

    this.addSql(`create table "password_reset_tokens" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "requested_ip" varchar(255) null, "created_at" timestamptz not null default now(), constraint "password_reset_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_reset_tokens_user_id_created_at_index" on "password_reset_tokens" ("user_id", "created_at");`);

    this.addSql(`alter table "password_reset_tokens" add constraint "password_reset_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "orders" drop constraint if exists "orders_status_check";`);

    this.addSql(`alter table "orders" add constraint "orders_status_check" check("status" in ('pending_review', 'approved', 'paid', 'partially_refunded', 'refunded', 'cancelled'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_records" cascade;`);

    this.addSql(`drop table if exists "login_attempts" cascade;`);

    this.addSql(`drop table if exists "operator_nonces" cascade;`);

    this.addSql(`drop table if exists "password_reset_tokens" cascade;`);

    this.addSql(`alter table "orders" drop constraint if exists "orders_status_check";`);

    this.addSql(`alter table "orders" add constraint "orders_status_check" check("status" in ('pending_review', 'paid', 'partially_refunded', 'refunded', 'cancelled'));`);
  }

}
