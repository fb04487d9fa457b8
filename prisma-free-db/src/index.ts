export * from './connectivity';
export * from './entities';
export { createMigration, type DatabaseOptions, migrate, type Orm, openOrm, ormConfig } from './orm';
export { DEMO_FILES, DEMO_KEY_RING, type DemoSeedResult, seedDemo } from './seeders/demo';
