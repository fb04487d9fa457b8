import { Migration } from '@mikro-orm/migrations';

/**
 * Room on each page for a new version of a row, so that an update which changes no indexed
 * column (a record's lease, its current step, its attempts) stays on the page and writes no
 * index entry (a heap-only tuple). Fulfillment records and orders are updated several times
 * each while they are worked on. Applies to pages written from now on.
 */
export class Migration20261203091900_hot_updates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "fulfillment_records" set (fillfactor = 70);`);
    this.addSql(`alter table "orders" set (fillfactor = 80);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "fulfillment_records" reset (fillfactor);`);
    this.addSql(`alter table "orders" reset (fillfactor);`);
  }
}
