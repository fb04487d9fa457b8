import { Migration } from '@mikro-orm/migrations';

export class Migration20261123092848_engine extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "fulfillment_records" add column "status_reason" text null;`);

    this.addSql(`alter table "fulfillment_steps" add column "generation" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "fulfillment_records" drop column "status_reason";`);

    this.addSql(`alter table "fulfillment_steps" drop column "generation";`);
  }

}
