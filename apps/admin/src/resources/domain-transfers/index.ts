import { DomainTransferList } from './DomainTransferList';

export const domainTransfers = {
  name: 'domain-transfers',
  list: DomainTransferList,
  options: { label: 'Domain transfers' },
};
