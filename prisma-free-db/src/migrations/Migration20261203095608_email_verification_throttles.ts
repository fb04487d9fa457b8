import { Migration } from '@mikro-orm/migrations';

export class Migration20261203095608_email_verification_throttles extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "throttle_counters" ("scope" varchar(32) not null, "key" varchar(320) not null, "window_start" timestamptz not null, "count" int not null default 0, "expires_at" timestamptz not null, constraint "throttle_counters_pkey" primary key ("scope", "key", "window_start"));`);
    this.addSql(`create index "throttle_counters_expires_at_index" on "throttle_counters" ("expires_at");`);

    this.addSql(`create table "email_verification_tokens" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "requested_ip" varchar(64) null, "created_at" timestamptz not null default now(), constraint "email_verification_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "email_verification_tokens" add constraint "email_verification_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "email_verification_tokens_user_id_created_at_index" on "email_verification_tokens" ("user_id", "created_at");`);

    this.addSql(`alter table "email_verification_tokens" add constraint "email_verification_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "email_verified_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "throttle_counters" cascade;`);

    this.addSql(`drop table if exists "email_verification_tokens" cascade;`);

    this.addSql(`alter table "users" drop column "email_verified_at";`);
  }

}
