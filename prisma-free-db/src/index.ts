export * from './entities';
export { createMigration, type DatabaseOptions, migrate, type Orm, openOrm, ormConfig } from './orm';
export { type DemoSeedResult, seedDemo } from './seeders/demo';
