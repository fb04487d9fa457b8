import { FulfillmentRecord, Product } from '@handover/db';
import { describe, expect, it } from 'vitest';
import { createTestkitProduct, placeOrder, until } from '../../worker/test/support/fixtures';
import { eventually, useBackOfficeStack } from './support/backOffice';

/** What ops and admins meet as new users: operations that say what they do, and products that cannot be saved broken. */
describe('safe operations and products in the back office', () => {
  const stack = useBackOfficeStack();
  const em = () => stack.db.orm.em.fork();

  async function settled(recordId: string, status: 'completed' | 'failed'): Promise<void> {
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id: recordId })).status === status, {
      what: `record ${recordId} ${status}`,
    });
  }

  it('offers no re-run on a delivered record and says why; on a failed one, says what the re-run does before doing it', async () => {
    const product = await createTestkitProduct(em(), {
      slug: 'rerun-safely',
      retryPolicy: { maxAttempts: 1, backoffSeconds: [0] },
    });
    const delivered = (await placeOrder(em(), stack.worker.registry, product, [{ label: 'delivered.example' }]))
      .records[0];
    await settled(delivered?.id ?? '', 'completed');
    await stack.sandbox.setFault('testkit', { errorRate: 1, statusCode: 503, pathIncludes: '/v1/resources' });
    const broken = (await placeOrder(em(), stack.worker.registry, product, [{ label: 'broken.example' }])).records[0];
    await settled(broken?.id ?? '', 'failed');
    await stack.sandbox.clearFault('testkit');
    const creations = async () => (await stack.sandbox.testkitStats()).resources.length;
    const before = await creations();

    const page = await stack.signIn('ops');
    await page.goto(`${stack.base}/admin/#/fulfillment-records/${delivered?.id}/show`);
    await page.getByRole('table', { name: 'Step journal' }).waitFor();
    await page
      .getByText(
        'Delivered: running it again would order it again at the provider. Refund the order to end the delivery instead.',
      )
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Re-run from/ }).count()).toBe(0);
    expect(await creations()).toBe(before);

    await page.goto(`${stack.base}/admin/#/fulfillment-records/${broken?.id}/show`);
    await page.getByRole('table', { name: 'Step journal' }).waitFor();
    const rerun = page.getByRole('button', { name: /^Re-run from/ }).first();
    await rerun.waitFor();
    await rerun.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/again as new requests to the provider\. Nothing delivered is repeated/).waitFor();
    await dialog.getByRole('button', { name: 'Re-run' }).click();
    await settled(broken?.id ?? '', 'completed');
    await eventually(async () => {
      await page.reload();
      return (await page.getByTestId('record-status').textContent()) === 'completed';
    }, 'the re-run record completed');
    await page.close();
  });

  it('takes a price in the currency’s main unit, and says a product whose driver is not installed cannot be ordered', async () => {
    const tem = em();
    const product = tem.create(Product, {
      slug: 'managed-dns',
      name: 'Managed DNS setup',
      priceMinor: 1000,
      currency: 'USD',
      deliveryModel: 'managed_setup',
      fulfillmentDriver: 'manual',
      fulfillmentConfig: { queue: 'ops', slaHours: 24, instructions: 'Set up DNS.' },
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    tem.create(Product, {
      slug: 'travel-esim',
      name: 'Travel eSIM',
      priceMinor: 900,
      currency: 'USD',
      deliveryModel: 'data_bundle',
      fulfillmentDriver: 'esim',
      fulfillmentConfig: {},
      enabledPaymentGateways: ['sandbox'],
      defaultPaymentGateway: 'sandbox',
    });
    await tem.flush();

    const page = await stack.signIn('admin');
    await page.goto(`${stack.base}/admin/#/products/${product.id}`);
    const price = page.getByLabel('Price', { exact: true });
    await eventually(async () => (await price.inputValue()) === '10.00', 'the price shown as 10.00');
    await price.fill('12.505');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Enter the price in USD, like 49.00').waitFor();
    await price.fill('12.50');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(
      async () => (await em().findOneOrFail(Product, { id: product.id })).priceMinor === 1250,
      'the price saved as 1250 cents',
    );

    await page.goto(`${stack.base}/admin/#/products`);
    const esimRow = page.locator('table tbody tr', { hasText: 'Travel eSIM' });
    await esimRow.getByText('Not orderable: the esim driver is not installed here').waitFor();
    await page
      .locator('table tbody tr', { hasText: 'Managed DNS setup' })
      .getByText('Orderable (shown in the catalog)')
      .waitFor();
    await page.close();
  });
});
