import { hash } from 'node:crypto';

/** How many proposals a handle remembers (about 100 bytes each). */
const CAPACITY = 10_000;

/**
 * What this process last synced successfully, per proposal key: a digest of the parsed payload
 * and the options that decide the writes. Only a hint, never trusted: a payload with the same
 * digest is probably unchanged, so the sync first reads without locks and without a transaction,
 * and answers from that read when the unit of work has nothing to write (run-sync.ts). Any
 * other payload, or a hint proved wrong by the read, takes the locking transaction at once, so
 * that a new or changed proposal pays for no extra read.
 */
export class LastSynced {
  readonly #digests = new Map<string, string>();

  /** Whether `key` was last synced with `digest`. */
  matches(key: string, digest: string): boolean {
    return this.#digests.get(key) === digest;
  }

  remember(key: string, digest: string): void {
    // re-inserted: a Map iterates in insertion order, so the first key is the least recent
    this.#digests.delete(key);
    this.#digests.set(key, digest);
    if (this.#digests.size > CAPACITY) this.#digests.delete(this.#digests.keys().next().value!);
  }
}

/** The digest of a parsed payload with the options that decide what it writes. */
export function syncDigest(parsed: unknown, options: Record<string, unknown>): string {
  return hash('sha1', JSON.stringify([parsed, options]), 'base64');
}
