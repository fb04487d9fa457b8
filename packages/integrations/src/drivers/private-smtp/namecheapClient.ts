import { isDomainName, normalizeHostname } from '@handover/contracts';
import {
  guardedProviderCall,
  PermanentError,
  redact,
  redactUrl,
  reportProviderCall,
  TransientError,
} from '@handover/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { classifyHttpError } from '../../http/jsonClient';
import { type NamecheapConfig, namecheapConfigSchema } from './env';
import type { PrivateSmtpErrorCode } from './errors';

/** The customer's Namecheap API access (seed 001: `api_user` is their `platform_login`). */
export interface NamecheapCredentials {
  apiUser: string;
  apiKey: string;
  /** The account the command acts on; Namecheap's docs: generally the same as ApiUser. */
  userName?: string;
}

const hostname = z.string().trim().refine(isDomainName, 'is not a host name').transform(normalizeHostname);
const delegation = z.object({
  domain: hostname,
  nameservers: z.array(hostname).min(1, 'needs at least one nameserver'),
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'Error',
});
const apiResponse = z.object({
  ApiResponse: z.object({
    '@_Status': z.enum(['OK', 'ERROR']),
    Errors: z
      .union([
        z.literal(''),
        z.object({ Error: z.array(z.object({ '#text': z.string().default(''), '@_Number': z.string() })) }),
      ])
      .optional(),
    CommandResponse: z.unknown().optional(),
  }),
});
const setCustomResult = z.object({
  DomainDNSSetCustomResult: z.object({ '@_Domain': z.string(), '@_Updated': z.enum(['true', 'false']) }),
});

type Classified = { transient: boolean; code: PrivateSmtpErrorCode | 'rate_limited' | 'provider_unavailable' };
const AUTH: Classified = { transient: false, code: 'registrar_auth' };
const IP: Classified = { transient: false, code: 'ip_not_allowlisted' };
const NOT_IN_ACCOUNT: Classified = { transient: false, code: 'domain_not_in_account' };
const BUSY: Classified = { transient: true, code: 'rate_limited' };
/**
 * Namecheap's error numbers (namecheap.com/support/api: the global table and setCustom's own).
 * Not listed here: 3xxxxxx to 5xxxxxx numbers are the provider's own failures (Enom, unknown
 * exceptions), worth retrying; any other number is a refusal.
 */
const ERROR_NUMBERS: Record<string, Classified> = {
  '1010101': AUTH, // Parameter APIUser is missing
  '1010102': AUTH, // Parameter APIKey is missing
  '1011102': AUTH, // Parameter APIKey is missing (in practice: "API Key is invalid or API access has not been enabled")
  '1030408': AUTH, // Unsupported authentication type
  '1050900': AUTH, // Unknown error when validating APIUser
  '1017101': AUTH, // Parameter ApiUser is disabled or locked
  '1019103': AUTH, // Parameter UserName is not available
  '1016103': AUTH, // Parameter UserName is unauthorized
  '1017103': AUTH, // Parameter UserName is disabled or locked
  '1011150': IP, // Parameter RequestIP is invalid ("Invalid request IP: ...")
  '1017150': IP, // Parameter RequestIP is disabled or locked
  '1017105': IP, // Parameter ClientIP is disabled or locked
  '1017411': BUSY, // Too many login attempts
  '2019166': NOT_IN_ACCOUNT, // Domain not found
  '2016166': NOT_IN_ACCOUNT, // Domain is not associated with your account
  '500000': BUSY, // Too many requests (the sandbox's number for its rate limit)
};

function classify(number: string): Classified {
  return (
    ERROR_NUMBERS[number] ??
    (/^[345]/.test(number)
      ? { transient: true, code: 'provider_unavailable' }
      : { transient: false, code: 'registrar_rejected' })
  );
}

/**
 * Namecheap's XML API (namecheap.com/support/api): one GET to `xml.response` per command, the
 * customer's ApiUser, ApiKey and UserName and Handover's allow-listed ClientIp in the query, an
 * ApiResponse document back. The ApiKey is hidden in every logged URL. Errors come out with the
 * codes the driver acts on: `registrar_auth`, `ip_not_allowlisted`, `domain_not_in_account`,
 * `registrar_rejected`; `rate_limited` (429 with Retry-After, or too many attempts), and
 * `provider_unavailable`, `timeout`, `network_error` as transient.
 */
export class NamecheapClient {
  private readonly config: z.output<typeof namecheapConfigSchema>;
  private readonly fetch: typeof fetch;

  constructor(config: NamecheapConfig, options: { fetch?: typeof fetch } = {}) {
    const parsed = namecheapConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`Namecheap client: ${z.prettifyError(parsed.error)}`);
    this.config = parsed.data;
    this.fetch = options.fetch ?? fetch;
  }

  /** Seed 001 step 5.3: namecheap.domains.dns.setCustom, delegating the domain to `nameservers`. */
  async setCustomNameservers(
    domain: string,
    nameservers: string[],
    credentials: NamecheapCredentials,
  ): Promise<{ nameservers: string[] }> {
    const request = delegation.safeParse({ domain, nameservers });
    if (!request.success) {
      throw new PermanentError(`Namecheap delegation: ${z.prettifyError(request.error)}`, 'invalid_request');
    }
    if (!credentials.apiUser.trim() || !credentials.apiKey.trim()) {
      throw new PermanentError('Namecheap needs the customer’s API user and API key', 'registrar_auth');
    }
    // Namecheap takes the registrable name apart: `example.co.uk` is SLD `example`, TLD `co.uk`.
    const [sld, ...rest] = request.data.domain.split('.');
    const hosts = [...new Set(request.data.nameservers)];
    const result = setCustomResult.safeParse(
      await this.command(
        'namecheap.domains.dns.setCustom',
        { SLD: sld ?? '', TLD: rest.join('.'), Nameservers: hosts.join(',') },
        credentials,
      ),
    );
    if (!result.success) {
      throw new PermanentError('namecheap answered setCustom without a DomainDNSSetCustomResult', 'invalid_response', {
        cause: result.error,
      });
    }
    if (result.data.DomainDNSSetCustomResult['@_Updated'] !== 'true') {
      throw new PermanentError(
        `namecheap did not update the nameservers of ${request.data.domain}`,
        'registrar_rejected',
      );
    }
    return { nameservers: hosts };
  }

  /** Runs one command (through Namecheap's rate limit and circuit breaker: vendorGuard); answers its CommandResponse. */
  private command(
    command: string,
    params: Record<string, string>,
    credentials: NamecheapCredentials,
  ): Promise<unknown> {
    return guardedProviderCall('namecheap', () => this.send(command, params, credentials));
  }

  private async send(
    command: string,
    params: Record<string, string>,
    credentials: NamecheapCredentials,
  ): Promise<unknown> {
    const url = new URL(this.config.baseUrl);
    url.searchParams.set('ApiUser', credentials.apiUser);
    url.searchParams.set('ApiKey', credentials.apiKey);
    url.searchParams.set('UserName', credentials.userName ?? credentials.apiUser);
    url.searchParams.set('ClientIp', this.config.clientIp);
    url.searchParams.set('Command', command);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);

    const started = performance.now();
    const record = (httpStatus: number | null, response: unknown, error: string | null) =>
      reportProviderCall({
        provider: 'namecheap',
        method: 'GET',
        url: redactUrl(url.toString()),
        request: null,
        response: redact(response, ['ApiKey']),
        httpStatus,
        durationMs: Math.round(performance.now() - started),
        error,
      });

    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'GET',
        headers: { accept: 'text/xml' },
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      const error = timedOut
        ? new TransientError(`namecheap did not answer within ${this.config.timeoutMs} ms`, 'timeout', { cause })
        : new TransientError(`namecheap could not be reached: ${(cause as Error).message}`, 'network_error', { cause });
      record(null, null, error.message);
      throw error;
    }

    const text = await res.text();
    const document = parseDocument(text);
    const errors = document.success ? errorsOf(document.data) : [];
    if (!res.ok) {
      const detail = errors.map(([number, message]) => `${number} ${message}`).join('; ');
      const error = classifyHttpError('namecheap', { status: res.status, headers: res.headers, body: detail || text });
      record(res.status, document.success ? document.data : truncate(text), error.message);
      throw error;
    }
    if (!document.success) {
      const error = new PermanentError(`namecheap answered ${command} with ${document.problem}`, 'invalid_response', {
        httpStatus: res.status,
      });
      record(res.status, truncate(text), error.message);
      throw error;
    }
    const body = document.data.ApiResponse;
    if (body['@_Status'] === 'ERROR') {
      const [number, message] = errors[0] ?? ['', 'no error given'];
      const { transient, code } = classify(number);
      const summary = `namecheap answered ERROR ${number}: ${message}`;
      const error = transient
        ? new TransientError(summary, code, { httpStatus: res.status })
        : new PermanentError(summary, code, { httpStatus: res.status });
      record(res.status, document.data, error.message);
      throw error;
    }
    record(res.status, document.data, null);
    return body.CommandResponse;
  }
}

function parseDocument(
  text: string,
): { success: true; data: z.output<typeof apiResponse> } | { success: false; problem: string } {
  if (XMLValidator.validate(text) !== true) return { success: false, problem: 'a body that is not XML' };
  const parsed = apiResponse.safeParse(parser.parse(text));
  return parsed.success ? { success: true, data: parsed.data } : { success: false, problem: 'no ApiResponse document' };
}

function errorsOf(document: z.output<typeof apiResponse>): [number: string, message: string][] {
  const errors = document.ApiResponse.Errors;
  return errors ? errors.Error.map((error) => [error['@_Number'], error['#text'].trim()]) : [];
}

function truncate(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
