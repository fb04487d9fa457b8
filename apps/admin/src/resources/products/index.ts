import { ProductCreate } from './ProductCreate';
import { ProductEdit } from './ProductEdit';
import { ProductList } from './ProductList';
import { ProductShow } from './ProductShow';

export const products = { name: 'products', list: ProductList, show: ProductShow };

/** Admins also create and edit products. */
export const productsForAdmins = { ...products, create: ProductCreate, edit: ProductEdit };
