import { Migration } from '@mikro-orm/migrations';

/**
 * The webhook dispatcher starts reading the domain events here: the events already written
 * (which the previous migration stamped with this transaction's id) are history, not news.
 */
export class Migration20261203101100_webhook_dispatch_start extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `insert into "webhook_dispatch_cursor" ("id", "txid", "event_id")
       values (1, ((pg_current_xact_id())::text)::bigint, 'ffffffff-ffff-ffff-ffff-ffffffffffff');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "webhook_dispatch_cursor" where "id" = 1;`);
  }
}
