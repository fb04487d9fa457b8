import { Edit } from 'react-admin';
import { ProductForm } from './ProductForm';
import { toProductInput } from './productForm';

export function ProductEdit() {
  return (
    <Edit transform={toProductInput} mutationMode="pessimistic" redirect="show">
      <ProductForm />
    </Edit>
  );
}
