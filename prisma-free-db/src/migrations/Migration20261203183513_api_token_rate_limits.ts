import { Migration } from '@mikro-orm/migrations';

export class Migration20261203183513_api_token_rate_limits extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_token_rate_limits" ("token_id" uuid not null, "tokens" double precision not null, "refilled_at" timestamptz not null, "last_allowed" boolean not null, constraint "api_token_rate_limits_pkey" primary key ("token_id"));`);

    this.addSql(`alter table "api_token_rate_limits" add constraint "api_token_rate_limits_token_id_foreign" foreign key ("token_id") references "api_tokens" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_token_rate_limits" cascade;`);
  }

}
