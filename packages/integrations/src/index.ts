export * from './http/jsonClient';
