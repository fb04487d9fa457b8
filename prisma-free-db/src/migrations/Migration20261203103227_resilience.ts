import { Migration } from '@mikro-orm/migrations';

export class Migration20261203103227_resilience extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "provider_circuits" ("vendor" varchar(64) not null, "node_id" varchar(64) not null, "state" text check ("state" in ('closed', 'open', 'half_open')) not null, "opened_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "provider_circuits_pkey" primary key ("vendor", "node_id"));`);

    this.addSql(`create table "provider_rate_limits" ("vendor" varchar(64) not null, "per_second" double precision not null, "burst" int not null, "tokens" double precision not null, "refilled_at" timestamptz not null, "waits" bigint not null default 0, "updated_at" timestamptz not null default now(), constraint "provider_rate_limits_pkey" primary key ("vendor"));`);

    this.addSql(`create table "pending_compensations" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "status" text check ("status" in ('pending', 'done', 'abandoned', 'resolved')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "resolution" text null, "resolved_by_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "pending_compensations_pkey" primary key ("id"));`);
    this.addSql(`alter table "pending_compensations" add constraint "pending_compensations_record_id_unique" unique ("record_id");`);
    this.addSql(`create index "pending_compensations_status_next_attempt_at_index" on "pending_compensations" ("status", "next_attempt_at");`);

    this.addSql(`create table "admin_alert_events" ("id" bigserial primary key, "alert_id" uuid not null, "kind" text check ("kind" in ('raised', 'repeated', 'notified', 'resolved', 'acknowledged')) not null, "detail" text not null default '', "created_at" timestamptz not null default now());`);
    this.addSql(`create index "admin_alert_events_alert_id_index" on "admin_alert_events" ("alert_id");`);

    this.addSql(`alter table "pending_compensations" add constraint "pending_compensations_record_id_foreign" foreign key ("record_id") references "fulfillment_records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "pending_compensations" add constraint "pending_compensations_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "admin_alert_events" add constraint "admin_alert_events_alert_id_foreign" foreign key ("alert_id") references "admin_alerts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`alter table "inventory_items" drop constraint if exists "inventory_items_status_check";`);

    this.addSql(`alter table "outbox" add column "send_started_at" timestamptz null, add column "uncertain_sends" int not null default 0;`);
    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms', 'operator_system', 'webhook'));`);

    this.addSql(`alter table "inventory_items" add column "quarantined_at" timestamptz null, add column "quarantine_reason" text null;`);
    this.addSql(`alter table "inventory_items" add constraint "inventory_items_status_check" check("status" in ('available', 'reserved', 'assigned', 'depleted', 'quarantined'));`);

    this.addSql(`alter table "fulfillment_logs" add column "correlation_id" varchar(128) null;`);

    this.addSql(`alter table "admin_alerts" add column "rule" varchar(64) null, add column "last_seen_at" timestamptz null, add column "occurrences" int not null default 1, add column "resolved_at" timestamptz null, add column "notified_at" timestamptz null, add column "resolution_notified_at" timestamptz null;`);
    this.addSql(`create index "admin_alerts_dedupe_key_resolved_at_index" on "admin_alerts" ("dedupe_key", "resolved_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "provider_circuits" cascade;`);

    this.addSql(`drop table if exists "provider_rate_limits" cascade;`);

    this.addSql(`drop table if exists "pending_compensations" cascade;`);

    this.addSql(`drop table if exists "admin_alert_events" cascade;`);

    this.addSql(`alter table "inventory_items" drop constraint if exists "inventory_items_status_check";`);

    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`drop index "admin_alerts_dedupe_key_resolved_at_index";`);
    this.addSql(`alter table "admin_alerts" drop column "rule", drop column "last_seen_at", drop column "occurrences", drop column "resolved_at", drop column "notified_at", drop column "resolution_notified_at";`);

    this.addSql(`alter table "fulfillment_logs" drop column "correlation_id";`);

    this.addSql(`alter table "inventory_items" drop column "quarantined_at", drop column "quarantine_reason";`);

    this.addSql(`alter table "inventory_items" add constraint "inventory_items_status_check" check("status" in ('available', 'reserved', 'assigned', 'depleted'));`);

    this.addSql(`alter table "outbox" drop column "send_started_at", drop column "uncertain_sends";`);

    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms', 'operator_system'));`);
  }

}
