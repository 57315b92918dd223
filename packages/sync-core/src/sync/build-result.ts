import { type TEntityResult, type TSyncResult, type TSyncWarning, ZEntityKind } from '@upsync/schema';
import type { Entities } from './sync-proposal-orchestrator.js';

const KINDS = ZEntityKind.options;

/** The structured report of sync-spec §6, with keys reported in the form the payload gave them. */
export function buildResult(args: {
  raw: unknown;
  proposal: { proposalId: number | null; proposalCode: string; proposalNumber: string };
  entities: Entities;
  warnings: TSyncWarning[];
  dryRun: boolean;
  reconcile: boolean;
  elapsedMs: number;
}): TSyncResult {
  const entities = {} as Entities;
  const summary = {} as TSyncResult['summary'];
  for (const kind of KINDS) {
    entities[kind] = (args.entities[kind] ?? []).map((r) => withRawKey(r, args.raw));
    const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    for (const r of entities[kind]) counts[r.outcome]++;
    summary[kind] = counts;
  }
  return {
    message: messageOf(args.proposal, args.dryRun, args.elapsedMs),
    proposal: args.proposal,
    entities,
    summary,
    warnings: args.warnings,
    dryRun: args.dryRun,
    reconcile: args.reconcile,
    elapsedMs: args.elapsedMs,
  };
}

/**
 * The result with real ids where it held provisional ones (new rows: db/new-ids.ts), once the
 * transaction's statements have returned. Ids appear as an entity's `id`, in its key (`personId`,
 * `sessionId` of participant rows) and as the proposal's id.
 */
export function withRealIds(result: TSyncResult, realId: (id: number) => number): TSyncResult {
  const real = (id: number | null) => (id === null ? null : realId(id));
  const entities = {} as Entities;
  for (const kind of KINDS) {
    entities[kind] = result.entities[kind].map((r) => {
      const key = { ...r.key };
      if (typeof key.personId === 'number') key.personId = realId(key.personId);
      if (typeof key.sessionId === 'number') key.sessionId = realId(key.sessionId);
      return { ...r, id: real(r.id), key };
    });
  }
  return {
    ...result,
    proposal: { ...result.proposal, proposalId: real(result.proposal.proposalId) },
    entities,
  };
}

/** The result with the time it took in all (the transaction's COMMIT included). */
export function withElapsed(result: TSyncResult, elapsedMs: number): TSyncResult {
  return { ...result, elapsedMs, message: messageOf(result.proposal, result.dryRun, elapsedMs) };
}

function messageOf(
  proposal: { proposalCode: string; proposalNumber: string },
  dryRun: boolean,
  elapsedMs: number,
): string {
  const seconds = (elapsedMs / 1000).toFixed(3);
  const verb = dryRun ? 'would be synchronized (dry run)' : 'has been synchronized';
  return `The proposal ${proposal.proposalCode}-${proposal.proposalNumber} ${verb} in ${seconds}`;
}

// externalIds are reported as given (157, not "157"), read back from the raw payload at the entry's path
function withRawKey(result: TEntityResult, raw: unknown): TEntityResult {
  if (!('externalId' in result.key) || result.path === '') return result;
  const given = (at(raw, result.path) as { externalId?: unknown } | undefined)?.externalId;
  if (typeof given !== 'number' && typeof given !== 'string') return result;
  return { ...result, key: { ...result.key, externalId: given } };
}

function at(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
