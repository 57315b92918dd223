import type { ChangeSet } from '@mikro-orm/core';
import {
  type TEntityKind,
  type TEntityResult,
  type TSyncResult,
  type TSyncWarning,
  ZEntityKind,
} from '@upsync/schema';
import { writtenFields } from './change-sets.js';
import type { Tracked } from './context.js';

export type Entities = Record<TEntityKind, TEntityResult[]>;

const KINDS = ZEntityKind.options;
const OUTCOMES = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/** The structured report of sync-spec §6, with keys reported in the form the payload gave them. */
export function buildResult(args: {
  raw: unknown;
  proposal: TSyncResult['proposal'];
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
 * The result entries of one sync, their outcomes read from the unit of work: an entity with a
 * create change set was created, with an update change set updated (`changedFields`: the
 * properties written), with a delete change set deleted, without one unchanged. Within a kind,
 * entries come in payload order, created ones after the others, deleted ones last.
 */
export function entityResults(tracked: Tracked[], changeSets: ChangeSet<object>[]): Entities {
  const sets = new Map<object, ChangeSet<object>>(changeSets.map((cs) => [cs.entity, cs]));
  const rank = { updated: 0, unchanged: 0, created: 1, deleted: 2 } as const;
  const out = Object.fromEntries(KINDS.map((k) => [k, [] as TEntityResult[]])) as Entities;
  for (const t of tracked) {
    const cs = sets.get(t.entity);
    // update_early and delete_early are updates and deletes
    const outcome = cs ? OUTCOMES[cs.type.split('_')[0] as 'create' | 'update' | 'delete'] : 'unchanged';
    const r: TEntityResult = { path: t.path, key: t.key(), id: t.id(), outcome };
    if (outcome === 'updated') r.changedFields = writtenFields(cs!);
    out[t.kind].push(r);
  }
  for (const kind of KINDS) out[kind].sort((a, b) => rank[a.outcome] - rank[b.outcome]);
  return out;
}

/** The result with the time it took in all (the transaction's COMMIT included). */
export function withElapsed(result: TSyncResult, elapsedMs: number): TSyncResult {
  return { ...result, elapsedMs, message: messageOf(result.proposal, result.dryRun, elapsedMs) };
}

function messageOf(proposal: TSyncResult['proposal'], dryRun: boolean, elapsedMs: number): string {
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
