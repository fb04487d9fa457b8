import { ProductList } from './ProductList';

export const products = { name: 'products', list: ProductList };
