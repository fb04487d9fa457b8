export * from './http/jsonClient';
export * from './testkit';
