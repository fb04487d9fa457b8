import { Migration } from '@mikro-orm/migrations';

export class Migration20261203144045_staff_notes_and_invites extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "staff_notes" ("id" uuid not null default gen_random_uuid(), "subject_type" text check ("subject_type" in ('order', 'customer')) not null, "subject_id" uuid not null, "author_id" uuid not null, "body" text not null, "created_at" timestamptz not null default now(), constraint "staff_notes_pkey" primary key ("id"));`);
    this.addSql(`create index "staff_notes_subject_type_subject_id_created_at_index" on "staff_notes" ("subject_type", "subject_id", "created_at");`);

    this.addSql(`create table "staff_invites" ("id" uuid not null default gen_random_uuid(), "email" varchar(320) not null, "role" text check ("role" in ('ops', 'finance', 'admin')) not null, "token_hash" varchar(64) not null, "invited_by_id" uuid not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_user_id" uuid null, "revoked_at" timestamptz null, "revoked_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "staff_invites_pkey" primary key ("id"));`);
    this.addSql(`create index "staff_invites_email_index" on "staff_invites" ("email");`);
    this.addSql(`alter table "staff_invites" add constraint "staff_invites_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "staff_invites_created_at_id_index" on "staff_invites" ("created_at", "id");`);

    this.addSql(`alter table "staff_notes" add constraint "staff_notes_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "staff_invites" add constraint "staff_invites_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "staff_invites" add constraint "staff_invites_accepted_user_id_foreign" foreign key ("accepted_user_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "staff_invites" add constraint "staff_invites_revoked_by_id_foreign" foreign key ("revoked_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`create index "outbox_order_id_index" on "outbox" ((data->>'orderId'), "created_at");`);

    this.addSql(`create index "users_role_created_at_id_index" on "users" ("role", "created_at", "id");`);
    this.addSql(`create index "users_email_trgm" on "users" using gin ("email" gin_trgm_ops);`);
    this.addSql(`create index "users_name_trgm" on "users" using gin ("name" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "staff_notes" cascade;`);

    this.addSql(`drop table if exists "staff_invites" cascade;`);

    this.addSql(`drop index "outbox_order_id_index";`);

    this.addSql(`drop index "users_role_created_at_id_index";`);
    this.addSql(`drop index "users_email_trgm";`);
    this.addSql(`drop index "users_name_trgm";`);
  }

}
