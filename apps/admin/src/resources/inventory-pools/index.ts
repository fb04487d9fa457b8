import { PoolEdit } from './PoolEdit';
import { PoolList } from './PoolList';
import { PoolShow } from './PoolShow';

export const inventoryPools = {
  name: 'inventory-pools',
  list: PoolList,
  show: PoolShow,
  edit: PoolEdit,
  options: { label: 'Inventory' },
};
