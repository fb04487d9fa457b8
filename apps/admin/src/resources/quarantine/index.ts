import { QuarantineList } from './QuarantineList';

/** Quarantine: what failed rollbacks still hold back from customers, for ops to retry or decide. */
export const quarantine = { name: 'quarantine', list: QuarantineList, options: { label: 'Quarantine' } };
