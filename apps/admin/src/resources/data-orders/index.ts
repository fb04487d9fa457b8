import { DataOrderList } from './DataOrderList';

/** Seed 002 phase 6: AT-iShare (and other networks') data orders and their resellers' floats. */
export const dataOrders = {
  name: 'data-orders',
  list: DataOrderList,
  options: { label: 'Data orders' },
};
