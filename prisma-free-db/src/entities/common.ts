import { randomUUID } from 'node:crypto';
import { defineEntity } from '@mikro-orm/core';

export const p = defineEntity.properties;

/** UUID primary key, generated in the app (so ids exist before flush) and by the database for bulk inserts. */
export const uuidPk = () =>
  p
    .uuid()
    .primary()
    .onCreate(() => randomUUID())
    .defaultRaw('gen_random_uuid()');

export const createdAt = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .defaultRaw('now()');

export const updatedAt = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date())
    .defaultRaw('now()');

/** A text column limited to `values` (a check constraint), typed as their union. */
export const oneOf = <const T extends readonly string[]>(values: T) => p.enum([...values] as T[number][]);
