import { BooleanField, EditButton, FunctionField, Show, SimpleShowLayout, TextField, TopToolbar } from 'react-admin';
import { JsonBlock } from '../../fields/JsonBlock';
import { formatMoney } from '../../fields/money';
import { may, useRole } from '../../permissions';

function Actions() {
  const role = useRole();
  return <TopToolbar>{may.administer(role) && <EditButton />}</TopToolbar>;
}

export function ProductShow() {
  return (
    <Show actions={<Actions />}>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="slug" />
        <FunctionField
          label="Price"
          render={(p: { priceMinor: number; currency: string }) => formatMoney(p.priceMinor, p.currency)}
        />
        <TextField source="deliveryModel" label="Delivery model" />
        <TextField source="fulfillmentDriver" label="Driver" />
        <FunctionField
          label="Driver configuration"
          render={(p: { fulfillmentConfig: unknown }) => (
            <JsonBlock title="Configuration" value={p.fulfillmentConfig} />
          )}
        />
        <FunctionField
          label="Gateways"
          render={(p: { enabledPaymentGateways: string[]; defaultPaymentGateway: string }) =>
            `${p.enabledPaymentGateways.join(', ')} (default ${p.defaultPaymentGateway})`
          }
        />
        <FunctionField
          label="Retry policy"
          render={(p: { retryPolicy: { maxAttempts: number; backoffSeconds: number[] } | null }) =>
            p.retryPolicy
              ? `${p.retryPolicy.maxAttempts} attempts, waits ${p.retryPolicy.backoffSeconds.join(', ')} s`
              : "the driver's default"
          }
        />
        <TextField source="availability" label="In the catalog" />
        <BooleanField source="requiresReview" label="Reviewed first" />
        <BooleanField source="isRecurring" label="Recurring" />
      </SimpleShowLayout>
    </Show>
  );
}
