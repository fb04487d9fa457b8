import { Create } from 'react-admin';
import { ProductForm } from './ProductForm';
import { toProductInput } from './productForm';

const defaults = {
  currency: 'USD',
  isActive: true,
  activation: 'immediate',
  activationDateByCustomer: false,
  serviceRules: {},
  enabledPaymentGateways: ['sandbox'],
  defaultPaymentGateway: 'sandbox',
  fulfillmentConfig: {},
  description: '',
  deliverySummary: '',
};

export function ProductCreate() {
  return (
    <Create transform={toProductInput} redirect="show" record={defaults}>
      <ProductForm />
    </Create>
  );
}
