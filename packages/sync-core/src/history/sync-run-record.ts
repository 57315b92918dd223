import { createHash } from 'node:crypto';
import type { TSyncErrorCode, TSyncResult, TSyncRunOutcomeClass, TSyncWarning } from '@upsync/schema';
import { stackSafeStringify } from './stack-safe-json.js';

/** What a caller (server, consumer) knows about one finished sync, to record it in the history. */
export interface SyncRunRecord {
  /** When the sync started (default: now minus durationMs). */
  startedAt?: Date;
  /** Token name (REST, tRPC) or consumer name (message queue). */
  principal: string;
  /** Default: read from the raw payload when it names its proposal, else null. */
  proposalCode?: string | null;
  proposalNumber?: string | null;
  dryRun: boolean;
  reconcile: boolean;
  outcome: 'succeeded' | 'failed';
  errorCode?: TSyncErrorCode | undefined;
  errorDetail?: string | undefined;
  errorPath?: string | undefined;
  /** `result.summary` of a succeeded sync. */
  summary?: TSyncResult['summary'] | null;
  warnings?: TSyncWarning[];
  durationMs: number;
  /** The raw payload (a parsed JSON value, or the JSON text/bytes as received); hashed, stored only with `storePayload`. */
  payload: unknown;
  /** Keep the payload itself in the history (off by default: it holds personal data). */
  storePayload?: boolean;
  /** The id of the recorded run this sync replays (checked before the sync: checkReplayOf). */
  replayOf?: number | undefined;
  /** The server's request id (REST, tRPC) or the message's (queue), to find the run in the log. */
  requestId?: string | undefined;
}

/** The run's class: failed, a succeeded dry run, or a real sync that did or did not write a row. */
export function outcomeClassOf(
  run: Pick<SyncRunRecord, 'outcome' | 'dryRun' | 'summary'>,
): TSyncRunOutcomeClass {
  if (run.outcome === 'failed') return 'failed';
  if (run.dryRun) return 'dryRun';
  const wrote = Object.values(run.summary ?? {}).some((c) => c.created + c.updated + c.deleted > 0);
  return wrote ? 'changed' : 'unchanged';
}

/** The JSON text of a payload: a string or bytes are parsed and re-serialised, so every transport hashes alike. */
export function payloadJson(payload: unknown): string {
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  }
  try {
    return JSON.stringify(payload ?? null) ?? 'null';
  } catch (error) {
    // nested deeper than JSON.stringify's recursion goes: the same text, written without recursion
    if (!(error instanceof RangeError)) throw error;
    return stackSafeStringify(payload) ?? 'null';
  }
}

/** SHA-256 (hex) of the payload's JSON text. */
export function payloadSha256(payload: unknown): string {
  return createHash('sha256').update(payloadJson(payload)).digest('hex');
}

/** The proposal key of a raw payload, when it names one (also for payloads that failed validation). */
export function proposalKeyOf(payload: unknown): { proposalCode: string; proposalNumber: string } | null {
  let value = payload;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString('utf8'));
    } catch {
      return null;
    }
  }
  const proposal = (value as { proposal?: { proposalCode?: unknown; proposalNumber?: unknown } } | null)
    ?.proposal;
  const code = proposal?.proposalCode;
  const number = proposal?.proposalNumber;
  const usable = (v: unknown) =>
    (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
  if (!usable(code) || !usable(number)) return null;
  return {
    proposalCode: String(code).trim().slice(0, 45),
    proposalNumber: String(number).trim().slice(0, 45),
  };
}
