import type { FastifyInstance } from 'fastify';

export interface EmulatorContext {
  /** The sandbox's own base URL, for links and callbacks an emulator hands out. */
  publicUrl: string;
  /**
   * Base URL of the Handover server that receives webhooks (`<base>/webhooks/<gateway>`), or
   * undefined when none is set. Read it when sending: the control API can change it.
   */
  webhookBaseUrl(): string | undefined;
}

/**
 * The stand-in for one external system, written from that vendor's documentation. It is
 * mounted under `prefix`; fault injection and call counting wrap every route it registers.
 */
export interface Emulator {
  name: string;
  prefix: string;
  /** Request header carrying the client's idempotency key, when the vendor has one. */
  idempotencyHeader?: string;
  register(app: FastifyInstance, context: EmulatorContext): void | Promise<void>;
  /**
   * Endpoints for tests and people to look at or steer the emulator's state, mounted under
   * `/_control/<name>`: outside fault injection and call counting, like the rest of /_control.
   */
  control?(app: FastifyInstance): void | Promise<void>;
  /** Forget all state (tests call the control API's reset between cases). */
  reset?(): void;
}
