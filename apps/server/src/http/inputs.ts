import { Readable } from 'node:stream';
import { findUnsafeText, unsafeTextMessage } from '@handover/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpRefusal } from './errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** A tRPC body (`{"json": ...}`, or a batch `{"0": {"json": ...}}`) names its fields inside that envelope. */
function withoutEnvelope(field: string): string {
  return field.replace(/^(\d+\.)?json\.?/, '') || 'input';
}

function refuseText(field: string, problem: string): HttpRefusal {
  return new HttpRefusal(400, 'invalid_text', problem, { field, fieldErrors: { [field]: [problem] } });
}

/**
 * Parses a JSON body as strict UTF-8. Invalid bytes would otherwise be swapped for U+FFFD
 * silently; they are refused with a 400 naming the field they sit in (found by reading the body
 * leniently once more), as is a NUL character anywhere in the body.
 */
export function parseJsonStrict(body: Buffer): unknown {
  if (body.length === 0) throw new HttpRefusal(400, 'invalid_json', 'The request body is empty; send JSON.');
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    let field = 'body';
    try {
      const replaced = findReplaced(JSON.parse(lenientUtf8.decode(body)), []);
      if (replaced) field = withoutEnvelope(replaced);
    } catch {
      // Not JSON either: the body as a whole is refused.
    }
    throw refuseText(field, `${field} is not valid UTF-8 text.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, refusePrototypeKeys);
  } catch {
    throw new HttpRefusal(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const unsafe = findUnsafeText(parsed);
  if (unsafe) {
    const field = withoutEnvelope(unsafe.field);
    throw refuseText(field, unsafeTextMessage({ ...unsafe, field }));
  }
  return parsed;
}

/** `__proto__` (and `constructor.prototype`) keys are refused, as Fastify's own parser does. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || (key === 'constructor' && value && typeof value === 'object' && 'prototype' in value)) {
    throw new SyntaxError('prototype key');
  }
  return value;
}

/** The path of the first string (or key) holding U+FFFD, which is where a lenient decoder put invalid bytes. */
function findReplaced(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return value.includes('\uFFFD') ? path.join('.') : null;
  if (!value || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\uFFFD')) return path.join('.') || 'body';
    const found = findReplaced(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * The URL's path and query, percent-decoded strictly: an escape that is not UTF-8, a NUL or a
 * lone surrogate is refused with a 400 naming the query parameter (or `path`) it is in.
 */
export function checkRequestUrl(request: FastifyRequest): void {
  const url = request.raw.url ?? '/';
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = question === -1 ? '' : url.slice(question + 1);
  const check = (text: string, field: string) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      throw refuseText(field, `${field} is not valid UTF-8 text.`);
    }
    let unsafe = findUnsafeText(decoded);
    // JSON carried in the query (a tRPC query's `input`) can spell what its bytes do not.
    if (!unsafe && /^\s*[[{]/.test(decoded)) {
      try {
        unsafe = findUnsafeText(JSON.parse(decoded));
      } catch {
        // Not JSON after all: the route says what it makes of it.
      }
    }
    if (unsafe) throw refuseText(field, unsafeTextMessage({ ...unsafe, field }));
  };
  check(path, 'path');
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    let name = 'query';
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' ')).slice(0, 64) || 'query';
    } catch {
      throw refuseText('query', 'A query parameter name is not valid UTF-8 text.');
    }
    check(rawName, name);
    if (eq !== -1) check(pair.slice(eq + 1), name);
  }
}

/**
 * For a scope whose routes parse JSON themselves (tRPC decodes the body as lenient UTF-8 and
 * parses it on its own): the bytes of a JSON body are checked as `parseJsonStrict` checks them
 * before they are handed on, unchanged. An empty body is left to the route.
 */
export function checkJsonBodies(scope: FastifyInstance, bodyLimit: number): void {
  scope.addHook('preParsing', async (request, _reply, payload) => {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > bodyLimit) throw new HttpRefusal(413, 'body_too_large', 'The request body is too large.');
      chunks.push(buffer);
    }
    const body = Buffer.concat(chunks);
    if (body.length > 0) parseJsonStrict(body);
    const again = Readable.from([body]) as Readable & { receivedEncodedLength?: number };
    again.receivedEncodedLength = body.length;
    return again;
  });
}

/** Inputs are cleaned where they enter: the URL of every request, and JSON bodies as they are parsed. */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    checkRequestUrl(request);
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonStrict(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
