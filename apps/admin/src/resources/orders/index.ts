import { OrderList } from './OrderList';
import { OrderShow } from './OrderShow';

export const orders = { name: 'orders', list: OrderList, show: OrderShow };
