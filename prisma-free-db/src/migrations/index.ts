// Written by `pnpm db:migration:create`: every migration, oldest first.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123090521_initial } from './Migration20261123090521_initial';
import { Migration20261123092848_engine } from './Migration20261123092848_engine';
import { Migration20261123093035_accounts_security } from './Migration20261123093035_accounts_security';
import { Migration20261123101737_dns_checks } from './Migration20261123101737_dns_checks';
import { Migration20261123101922_payments } from './Migration20261123101922_payments';
import { Migration20261123102040_back_office_search } from './Migration20261123102040_back_office_search';
import { Migration20261123150000_dashboard_counts } from './Migration20261123150000_dashboard_counts';
import { Migration20261203075149_reconcile } from './Migration20261203075149_reconcile';
import { Migration20261203085604_private_smtp } from './Migration20261203085604_private_smtp';
import { Migration20261203090835_data_bundles_sms } from './Migration20261203090835_data_bundles_sms';
import { Migration20261203091753_domain_events } from './Migration20261203091753_domain_events';
import { Migration20261203091900_hot_updates } from './Migration20261203091900_hot_updates';
import { Migration20261203101036_developers } from './Migration20261203101036_developers';
import { Migration20261203101100_webhook_dispatch_start } from './Migration20261203101100_webhook_dispatch_start';
import { Migration20261203095906_review_activation_esim } from './Migration20261203095906_review_activation_esim';
import { Migration20261203100811_marketplace_products } from './Migration20261203100811_marketplace_products';
import { Migration20261203113943_billing_operator_system } from './Migration20261203113943_billing_operator_system';
import { Migration20261203095608_email_verification_throttles } from './Migration20261203095608_email_verification_throttles';
import { Migration20261203095609_verified_staff } from './Migration20261203095609_verified_staff';
import { Migration20261203103227_resilience } from './Migration20261203103227_resilience';
import { Migration20261203103300_alerts_resolved } from './Migration20261203103300_alerts_resolved';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123090521_initial', class: Migration20261123090521_initial },
  { name: 'Migration20261123092848_engine', class: Migration20261123092848_engine },
  { name: 'Migration20261123093035_accounts_security', class: Migration20261123093035_accounts_security },
  { name: 'Migration20261123101737_dns_checks', class: Migration20261123101737_dns_checks },
  { name: 'Migration20261123101922_payments', class: Migration20261123101922_payments },
  { name: 'Migration20261123102040_back_office_search', class: Migration20261123102040_back_office_search },
  { name: 'Migration20261123150000_dashboard_counts', class: Migration20261123150000_dashboard_counts },
  { name: 'Migration20261203075149_reconcile', class: Migration20261203075149_reconcile },
  { name: 'Migration20261203085604_private_smtp', class: Migration20261203085604_private_smtp },
  { name: 'Migration20261203090835_data_bundles_sms', class: Migration20261203090835_data_bundles_sms },
  { name: 'Migration20261203091753_domain_events', class: Migration20261203091753_domain_events },
  { name: 'Migration20261203091900_hot_updates', class: Migration20261203091900_hot_updates },
  { name: 'Migration20261203101036_developers', class: Migration20261203101036_developers },
  { name: 'Migration20261203101100_webhook_dispatch_start', class: Migration20261203101100_webhook_dispatch_start },
  { name: 'Migration20261203095906_review_activation_esim', class: Migration20261203095906_review_activation_esim },
  { name: 'Migration20261203100811_marketplace_products', class: Migration20261203100811_marketplace_products },
  { name: 'Migration20261203113943_billing_operator_system', class: Migration20261203113943_billing_operator_system },
  {
    name: 'Migration20261203095608_email_verification_throttles',
    class: Migration20261203095608_email_verification_throttles,
  },
  { name: 'Migration20261203095609_verified_staff', class: Migration20261203095609_verified_staff },
  { name: 'Migration20261203103227_resilience', class: Migration20261203103227_resilience },
  { name: 'Migration20261203103300_alerts_resolved', class: Migration20261203103300_alerts_resolved },
];
