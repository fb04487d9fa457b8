import { ItemList } from './ItemList';

export const inventoryItems = { name: 'inventory-items', list: ItemList, options: { label: 'Inventory accounts' } };
