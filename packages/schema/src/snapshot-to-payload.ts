import type { TProposalSnapshot } from './proposal-snapshot.js';
import type { TSyncProposalInput } from './sync-proposal.js';

const ID_KEYS = new Set(['proposalId', 'personId', 'laboratoryId', 'labContactId', 'proteinId', 'sessionId']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // ids are ISPyB's, not the payload's; a protein without an owner cannot be pushed as is
    if (!ID_KEYS.has(key) && inner !== undefined) out[key] = strip(inner);
  }
  return out;
}

/**
 * A read-back snapshot as a sync payload: the ISPyB ids removed. Re-syncing it changes nothing.
 * (Values ISPyB holds but the payload refuses, such as an unknown `state`, fail validation as sent.)
 */
export function snapshotToPayload(snapshot: TProposalSnapshot): TSyncProposalInput {
  return strip(snapshot) as TSyncProposalInput;
}
