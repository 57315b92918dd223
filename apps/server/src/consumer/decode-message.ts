import type { ConsumeMessage } from 'amqplib';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../http/json-depth.js';

export type DecodedMessage =
  | { ok: true; payload: unknown; key: string | undefined }
  | { ok: false; code: 'invalid_json' | 'too_deep'; detail: string; message: string };

/** `proposalCode-proposalNumber` (lower case), the key that orders one proposal's messages. */
function proposalKey(payload: unknown): string | undefined {
  const proposal = (payload as { proposal?: Record<string, unknown> } | null)?.proposal;
  if (!proposal || typeof proposal !== 'object') return undefined;
  const { proposalCode: code, proposalNumber: number } = proposal;
  const plain = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  return plain(code) && plain(number) ? `${code}-${number}`.trim().toLowerCase() : undefined;
}

/** The body as JSON, and its proposal key; a body that is not JSON, or nests too deep, is a payload fault. */
export function decodeMessage(message: ConsumeMessage): DecodedMessage {
  if (nestsDeeperThan(message.content)) {
    const detail = `Invalid payload: the message body nests deeper than ${MAX_JSON_DEPTH} levels`;
    return { ok: false, code: 'too_deep', detail, message: detail };
  }
  try {
    const payload: unknown = JSON.parse(message.content.toString('utf8'));
    return { ok: true, payload, key: proposalKey(payload) };
  } catch (error) {
    return {
      ok: false,
      code: 'invalid_json',
      detail: 'Invalid payload: the message body is not JSON',
      message: (error as Error).message,
    };
  }
}
