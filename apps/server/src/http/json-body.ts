import type { IncomingMessage } from 'node:http';
import express from 'express';
import { INVALID_UTF8 } from '../errors/wire-error.js';

export const JSON_TYPES = ['application/json', 'application/*+json'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * body-parser's `verify`: the raw bytes must be UTF-8. Without it, invalid sequences are decoded
 * as U+FFFD and stored as if the portal had sent them; with it they answer 422 invalid_utf8.
 */
function verifyUtf8(_req: IncomingMessage, _res: unknown, buffer: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') return;
  try {
    strictUtf8.decode(buffer);
  } catch {
    throw Object.assign(new Error('The body is not valid UTF-8'), { type: INVALID_UTF8, status: 422 });
  }
}

/** The REST routes' JSON body: size limit, JSON media types, UTF-8 checked. */
export function jsonBody(limitBytes: number) {
  return express.json({ limit: limitBytes, type: JSON_TYPES, verify: verifyUtf8 });
}

/**
 * The body of `/trpc` requests, read before tRPC as text (tRPC takes a string `req.body` as it is):
 * the same size limit and UTF-8 check as the REST routes.
 */
export function trpcBody(limitBytes: number) {
  return express.text({ limit: limitBytes, type: JSON_TYPES, verify: verifyUtf8 });
}
