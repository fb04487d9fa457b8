export * from './adapter';
export * from './client';
