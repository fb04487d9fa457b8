import { Migration } from '@mikro-orm/migrations';

export class Migration20261203075149_reconcile extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "fulfillment_logs" drop constraint if exists "fulfillment_logs_kind_check";`);

    this.addSql(`alter table "fulfillment_records" add column "last_synced_at" timestamptz null;`);
    this.addSql(`create index "fulfillment_records_sync_due_index" on "fulfillment_records" ("last_synced_at" nulls first) where "external_reference_id" is not null and "status" in ('completed', 'active', 'suspended');`);

    this.addSql(`alter table "fulfillment_logs" add constraint "fulfillment_logs_kind_check" check("kind" in ('attempt', 'provider_call', 'transition', 'compensation', 'sync'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "fulfillment_logs" drop constraint if exists "fulfillment_logs_kind_check";`);

    this.addSql(`alter table "fulfillment_logs" add constraint "fulfillment_logs_kind_check" check("kind" in ('attempt', 'provider_call', 'transition', 'compensation'));`);

    this.addSql(`drop index "fulfillment_records_sync_due_index";`);
    this.addSql(`alter table "fulfillment_records" drop column "last_synced_at";`);
  }

}
