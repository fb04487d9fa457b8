import type { ComponentType } from 'react';
import type { ConfigJsonSchema } from '../resources/products/DriverConfigInputs';

/** A fulfillment record as the back office's record page receives it. */
export interface StaffRecord {
  id: string;
  orderId: string;
  orderCode: string;
  driver: string;
  subject: string | null;
  status: string;
  statusReason: string | null;
  currentStep: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  externalReferenceId: string | null;
  nextAttemptAt: Date | null;
  payloadSnapshot: unknown;
  result: unknown;
  createdAt: Date;
  steps: {
    name: string;
    position: number;
    status: string;
    attempts: number;
    generation: number;
    error: string | null;
    output: unknown;
    finishedAt: Date | null;
    /** Whether "re-run from here" is offered, and what it would do or why not. */
    rerun: { offered: boolean; effect: string };
  }[];
  tasks: { id: string; step: string; title: string; status: string; dueAt: Date | null }[];
}

/** What the back office shows of one driver, found by driver id (./index.ts) and loaded on demand. */
export interface AdminDriverViews {
  /** What the record delivered, for staff, on the record's page above its raw result. */
  RecordResult?: ComponentType<{ record: StaffRecord }>;
  /** The product form's config fields; without it they are drawn from the driver's config schema. */
  ConfigInputs?: ComponentType<{ schema: ConfigJsonSchema }>;
}
