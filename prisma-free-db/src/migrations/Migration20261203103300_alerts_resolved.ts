import { Migration } from '@mikro-orm/migrations';

export class Migration20261203103300_alerts_resolved extends Migration {

  override async up(): Promise<void> {
    // Alerts acknowledged before alerts had a state were closed by it: they are resolved.
    this.addSql(`update "admin_alerts" set "resolved_at" = "acknowledged_at", "notified_at" = "created_at", "resolution_notified_at" = "acknowledged_at" where "acknowledged_at" is not null;`);
    // Older open ones are not sent to ops now as if they were new.
    this.addSql(`update "admin_alerts" set "notified_at" = "created_at" where "notified_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "admin_alerts" set "resolved_at" = null where "resolved_at" = "acknowledged_at";`);
  }

}
