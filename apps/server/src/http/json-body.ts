import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express from 'express';
import { INVALID_UTF8, TOO_DEEP } from '../errors/wire-error.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * body-parser's `verify`, on the raw bytes before they are parsed: they must be UTF-8 (without
 * the check, invalid sequences are decoded as U+FFFD and stored as if the portal had sent them;
 * with it they answer 422 invalid_utf8), and must not nest deeper than MAX_JSON_DEPTH (422
 * too_deep, before JSON.parse spends a second on them). isUtf8 checks without decoding: a fatal
 * TextDecoder made a string of the whole body only to throw it away before body-parser decoded it
 * again.
 */
function verifyBody(_req: IncomingMessage, _res: unknown, buffer: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') return;
  if (!isUtf8(buffer)) {
    throw Object.assign(new Error('The body is not valid UTF-8'), { type: INVALID_UTF8, status: 422 });
  }
  if (nestsDeeperThan(buffer)) {
    throw Object.assign(new Error(`The body nests deeper than ${MAX_JSON_DEPTH} levels`), {
      type: TOO_DEEP,
      status: 422,
    });
  }
}

/** The REST routes' JSON body: size limit, JSON media types, UTF-8 and depth checked. */
export function jsonBody(limitBytes: number) {
  return express.json({ limit: limitBytes, type: JSON_TYPES, verify: verifyBody });
}

/**
 * The body of `/trpc` requests, read before tRPC as text (tRPC takes a string `req.body` as it is):
 * the same size limit, UTF-8 and depth checks as the REST routes.
 */
export function trpcBody(limitBytes: number) {
  return express.text({ limit: limitBytes, type: JSON_TYPES, verify: verifyBody });
}
