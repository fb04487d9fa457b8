export * from './customerView';
export * from './profiles';
