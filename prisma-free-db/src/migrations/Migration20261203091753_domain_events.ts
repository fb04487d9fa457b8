import { Migration } from '@mikro-orm/migrations';

export class Migration20261203091753_domain_events extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "domain_events" ("id" uuid not null default gen_random_uuid(), "type" varchar(64) not null, "subject_type" varchar(64) not null, "subject_id" varchar(64) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), constraint "domain_events_pkey" primary key ("id"));`);
    this.addSql(`create index "domain_events_subject_type_subject_id_index" on "domain_events" ("subject_type", "subject_id");`);
    this.addSql(`create index "domain_events_created_at_id_index" on "domain_events" ("created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "domain_events" cascade;`);
  }

}
