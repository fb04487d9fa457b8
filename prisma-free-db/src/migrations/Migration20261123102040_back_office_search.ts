import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102040_back_office_search extends Migration {

  override async up(): Promise<void> {
    // Trigram indexes let the back office's "contains" searches (ILIKE '%...%') use an index.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "orders_created_at_id_index" on "orders" ("created_at", "id");`);
    this.addSql(`create index "orders_email_trgm" on "orders" using gin ("email" gin_trgm_ops);`);
    this.addSql(`create index "orders_phone_trgm" on "orders" using gin ("phone" gin_trgm_ops);`);

    this.addSql(`create index "fulfillment_records_created_at_id_index" on "fulfillment_records" ("created_at", "id");`);
    this.addSql(`create index "fulfillment_records_subject_trgm" on "fulfillment_records" using gin ("subject" gin_trgm_ops);`);
    this.addSql(`create index "fulfillment_records_last_error_trgm" on "fulfillment_records" using gin ("last_error" gin_trgm_ops);`);

    this.addSql(`create index "fulfillment_logs_network_created_at_index" on "fulfillment_logs" ("network", "created_at");`);
    this.addSql(`create index "fulfillment_logs_phone_number_trgm" on "fulfillment_logs" using gin ("phone_number" gin_trgm_ops);`);
    this.addSql(`create index "fulfillment_logs_subject_trgm" on "fulfillment_logs" using gin ("subject" gin_trgm_ops);`);
    this.addSql(`create index "fulfillment_logs_error_message_trgm" on "fulfillment_logs" using gin ("error_message" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "fulfillment_logs_network_created_at_index";`);
    this.addSql(`drop index "fulfillment_logs_phone_number_trgm";`);
    this.addSql(`drop index "fulfillment_logs_subject_trgm";`);
    this.addSql(`drop index "fulfillment_logs_error_message_trgm";`);

    this.addSql(`drop index "fulfillment_records_created_at_id_index";`);
    this.addSql(`drop index "fulfillment_records_subject_trgm";`);
    this.addSql(`drop index "fulfillment_records_last_error_trgm";`);

    this.addSql(`drop index "orders_created_at_id_index";`);
    this.addSql(`drop index "orders_email_trgm";`);
    this.addSql(`drop index "orders_phone_trgm";`);
  }

}
