export * from './dns/dohJsonResolver';
export * from './dns/resolverConfig';
export * from './dns/udpDnsResolver';
export * from './http/jsonClient';
export * from './plugsaas/plugsaasClient';
export * from './plugsaas/plugsaasConfig';
