import { Migration } from '@mikro-orm/migrations';

export class Migration20261203150530_outbox_webhook_channel extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms', 'operator_system', 'webhook'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "outbox" drop constraint if exists "outbox_channel_check";`);

    this.addSql(`alter table "outbox" add constraint "outbox_channel_check" check("channel" in ('email', 'sms', 'operator_system'));`);
  }

}
