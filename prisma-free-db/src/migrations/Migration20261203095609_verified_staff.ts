import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts made before addresses were verified: staff (made by an admin or `admin:create`) and
 * anyone who has used a password reset link have proved their address. Every other account
 * confirms it with a link, sent when it next signs in with its password.
 */
export class Migration20261203095609_verified_staff extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "users" set "email_verified_at" = now() where "role" <> 'customer';`);
    this.addSql(
      `update "users" u set "email_verified_at" = t.first_used
         from (select "user_id", min("used_at") as first_used from "password_reset_tokens"
                where "used_at" is not null group by "user_id") t
        where t."user_id" = u."id" and u."email_verified_at" is null;`,
    );
  }

  override async down(): Promise<void> {}
}
