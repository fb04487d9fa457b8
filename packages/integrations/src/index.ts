export * from './dodo/dodoGateway';
export * from './http/jsonClient';
export * from './payments';
export * from './paypal/paypalGateway';
export * from './sandbox/sandboxGateway';
export * from './stripe/stripeGateway';
export * from './testkit';
