// Browser-safe: the enums, labels and input schemas the server, the portal and the back office
// share. zod only; nothing here may import a server package or a Node module. Each driver's
// schemas are under `@handover/contracts/drivers/<driver>`, so a page loads only its own.

export * from './accounts';
export * from './activation';
export * from './apiTokens';
export * from './backOffice';
export * from './checkout';
export * from './checkoutOptions';
export * from './customerProfile';
export * from './domainDisplay';
export * from './driverContract';
export * from './errorMessages';
export * from './gateways';
export * from './hostname';
export * from './products';
export * from './refunds';
export * from './serviceRules';
export * from './statuses';
export * from './statusText';
export * from './webhooks';
