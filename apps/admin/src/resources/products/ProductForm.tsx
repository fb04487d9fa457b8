import {
  ACTIVATION_CHECK_LABELS,
  ACTIVATION_CHECKS,
  DELIVERY_MODELS,
  GATEWAY_LABELS,
  PAYMENT_GATEWAYS,
  type PaymentGatewayName,
  PROFILE_FIELD_LABELS,
  PROFILE_FIELDS,
  statusChoices,
} from '@handover/contracts';
import { Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import {
  BooleanInput,
  CheckboxGroupInput,
  FormDataConsumer,
  NumberInput,
  SelectInput,
  SimpleForm,
  TextInput,
  useRecordContext,
} from 'react-admin';
import { useAdminDriverViews } from '../../drivers';
import { useBackOffice } from '../../permissions';
import { CheckoutPreview } from './CheckoutPreview';
import { ConfigCheck } from './ConfigCheck';
import { type ConfigJsonSchema, DriverConfigInputs } from './DriverConfigInputs';
import { GatewayTestButtons } from './GatewayTestButtons';
import { ProductToolbar } from './ProductToolbar';
import { driverConfigOf, priceText, validateProduct } from './productForm';
import { TestConnectionButton } from './TestConnectionButton';

/** The driver's own config fields when it has them, else fields drawn from its schema. */
function DriverConfig({ driver, schema }: { driver: string; schema: ConfigJsonSchema }) {
  const views = useAdminDriverViews(driver);
  if (views.isPending) return null;
  const Inputs = views.data?.ConfigInputs ?? DriverConfigInputs;
  return <Inputs schema={schema} />;
}

/**
 * Seed 003 §5.4 and §7.3: the delivery model picks which drivers are offered, the driver's
 * schema decides its config fields, and only enabled gateways can be the default. The shared
 * product schema checks the form here; the server checks it again with the driver's schema.
 */
export function ProductForm() {
  const backOffice = useBackOffice();
  const record = useRecordContext<{ priceMinor?: number; currency?: string }>();
  const drivers = useQuery({ queryKey: ['backOffice.drivers'], queryFn: () => backOffice.drivers() });
  if (drivers.isPending) return <Typography sx={{ p: 2 }}>Loading the drivers…</Typography>;
  if (drivers.isError)
    return (
      <Typography color="error" sx={{ p: 2 }}>
        The drivers could not be loaded.
      </Typography>
    );
  const driversById = new Map(drivers.data.map((d) => [d.driver, d]));
  return (
    <SimpleForm
      validate={validateProduct}
      sanitizeEmptyValues={false}
      toolbar={<ProductToolbar />}
      defaultValues={{ price: priceText(record) }}
    >
      <Typography variant="h6" component="h2">
        Product
      </Typography>
      <TextInput source="name" fullWidth />
      <TextInput source="slug" helperText="The address in the catalog: lower-case letters, digits and dashes." />
      <TextInput source="description" multiline fullWidth />
      <TextInput source="deliverySummary" label="What the customer receives" fullWidth />
      <TextInput source="price" label="Price" helperText="In the currency's main unit: 49.00 for $49" />
      <TextInput source="currency" helperText="Three letters, e.g. USD" />
      <BooleanInput
        source="isActive"
        label="Active"
        helperText="Shown in the catalog while its driver is installed on this server"
      />

      <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
        Fulfillment
      </Typography>
      <SelectInput source="deliveryModel" label="Delivery model" choices={statusChoices(DELIVERY_MODELS)} />
      <FormDataConsumer<{
        deliveryModel?: string;
        fulfillmentDriver?: string;
        fulfillmentConfig?: Record<string, unknown>;
      }>>
        {({ formData }) => {
          const offered = drivers.data.filter(
            (d) => !formData.deliveryModel || d.deliveryModels.includes(formData.deliveryModel as never),
          );
          const chosen = formData.fulfillmentDriver ? driversById.get(formData.fulfillmentDriver) : undefined;
          return (
            <>
              <SelectInput
                source="fulfillmentDriver"
                label="Driver"
                choices={offered.map((d) => ({ id: d.driver, name: d.driver }))}
                helperText={
                  offered.length === 0
                    ? 'No registered driver delivers this model.'
                    : 'Only drivers that deliver the chosen model are offered.'
                }
              />
              {chosen && (
                <>
                  <Typography variant="subtitle1" component="h3">
                    {chosen.driver} configuration
                  </Typography>
                  <DriverConfig driver={chosen.driver} schema={chosen.configJsonSchema as ConfigJsonSchema} />
                  <ConfigCheck driver={chosen.driver} config={driverConfigOf(formData.fulfillmentConfig)} />
                </>
              )}
              <TestConnectionButton driver={chosen?.driver} calls={chosen?.testConnectionCalls ?? null} />
            </>
          );
        }}
      </FormDataConsumer>
      <TextInput source="externalProvider" label="External provider" />
      <TextInput source="externalProductRef" label="External product reference" />
      <BooleanInput source="requiresReview" label="An operator reviews each order first" />
      <SelectInput source="activation" choices={statusChoices(['immediate', 'scheduled'])} />
      <BooleanInput
        source="activationDateByCustomer"
        label="The customer chooses the activation date at checkout (scheduled only)"
      />

      <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
        Service rules
      </Typography>
      <TextInput
        source="serviceRules.serviceKind"
        label="Kind of service"
        helperText="Products of one kind count as the same service, e.g. home_internet"
        parse={(value: string) => value || null}
      />
      <BooleanInput source="serviceRules.onePerAccount" label="At most one of this kind per account" />
      <BooleanInput
        source="serviceRules.oneServicePerOrder"
        label="One service per order (a cart with several becomes several orders)"
      />
      <BooleanInput
        source="serviceRules.billingAddressIsServiceAddress"
        label="Billing address is the service address (captured once)"
      />
      <CheckboxGroupInput
        source="serviceRules.requiredProfile"
        label="Profile fields the customer must have"
        choices={PROFILE_FIELDS.map((id) => ({ id, name: PROFILE_FIELD_LABELS[id] }))}
      />
      <NumberInput source="serviceRules.minimumAge" label="Minimum age" helperText="Empty: no age limit" />
      <CheckboxGroupInput
        source="serviceRules.activationChecks"
        label="Checked three days before a scheduled activation"
        choices={ACTIVATION_CHECKS.map((id) => ({ id, name: ACTIVATION_CHECK_LABELS[id] }))}
      />
      <TextInput
        source="serviceRules.operatorProductCode"
        label="Product code in the operator system"
        helperText="Set: only customers whose operator-system account is eligible see it, and its reviewed orders are made there"
        parse={(value: string) => value || null}
      />
      <NumberInput source="retryPolicy.maxAttempts" label="Retry: attempts" helperText="Empty: the driver's default" />
      <TextInput
        source="retryPolicy.backoffSeconds"
        label="Retry: waits in seconds"
        helperText="Comma-separated, e.g. 300, 900, 3600"
        format={(value: unknown) => (Array.isArray(value) ? value.join(', ') : ((value as string) ?? ''))}
      />

      <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
        Payment and billing
      </Typography>
      <CheckboxGroupInput
        source="enabledPaymentGateways"
        label="Enabled gateways"
        choices={PAYMENT_GATEWAYS.map((id) => ({ id, name: GATEWAY_LABELS[id] }))}
      />
      <FormDataConsumer<{ enabledPaymentGateways?: PaymentGatewayName[] }>>
        {({ formData }) => (
          <>
            <SelectInput
              source="defaultPaymentGateway"
              label="Default gateway"
              choices={(formData.enabledPaymentGateways ?? []).map((id) => ({ id, name: GATEWAY_LABELS[id] }))}
            />
            <GatewayTestButtons gateways={formData.enabledPaymentGateways ?? []} />
          </>
        )}
      </FormDataConsumer>
      <BooleanInput source="isRecurring" label="Recurring" />
      <SelectInput source="billingInterval" label="Billing interval" choices={statusChoices(['month', 'year'])} />
      <BooleanInput source="supportsTrial" label="Offers a trial" />
      <NumberInput source="trialDays" label="Trial days" />

      <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
        Checkout
      </Typography>
      <CheckoutPreview />
    </SimpleForm>
  );
}
