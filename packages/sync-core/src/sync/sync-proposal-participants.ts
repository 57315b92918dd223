import type { TEntityResult } from '@upsync/schema';
import { marks, q, type Row } from '../db/gateway.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, type SyncContext } from './context.js';
import type { ProposalScope } from './proposal-scope.js';
import { stepFailure } from './run-step.js';

const TABLE = 'ProposalHasPerson';

/**
 * One ProposalHasPerson row per person of `proposal.persons`, never duplicated (existing pairs are
 * kept, even duplicates the database already has). Reconcile mode deletes this proposal's rows
 * whose person the payload no longer lists.
 */
export async function syncProposalParticipants(
  ctx: SyncContext,
  proposalId: number,
  participants: PersonGroup[],
  scopeRows: Row[],
): Promise<TEntityResult[]> {
  const rows = scopeRows.filter((r) => Number(r.proposalId) === proposalId);
  const existing = new Map<number, number>();
  for (const row of rows)
    if (!existing.has(Number(row.personId)))
      existing.set(Number(row.personId), Number(row.proposalHasPersonId));
  const results: TEntityResult[] = [];
  const missing = [...new Set(participants)].filter((g) => !existing.has(g.id!));
  for (const g of participants) {
    const id = existing.get(g.id!);
    if (id !== undefined)
      results.push(entityResult(`${g.path}`, { personId: g.id! }, id, { outcome: 'unchanged' }));
  }
  const ids = ctx.db.insertNew(
    TABLE,
    'proposalHasPersonId',
    missing.map((g) => ({ proposalId, personId: g.id! })),
    stepFailure('proposalParticipants', 'proposal.persons'),
  );
  const dropped = ctx.reconcile ? removeDropped(ctx, proposalId, rows, participants) : [];
  missing.forEach((g, i) => {
    results.push(entityResult(g.path, { personId: g.id! }, ids[i]!, { outcome: 'created' }));
  });
  results.push(...dropped);
  return results;
}

/** The participant rows of the proposals in `scope`, oldest first. */
export async function findProposalParticipants(ctx: SyncContext, scope: ProposalScope): Promise<Row[]> {
  return ctx.db.select(
    `SELECT ${q('proposalHasPersonId')}, ${q('proposalId')}, ${q('personId')} FROM ${q(TABLE)} WHERE ${q('proposalId')} IN (${scope.sql}) ORDER BY ${q('proposalHasPersonId')}`,
    scope.params,
  );
}

function removeDropped(
  ctx: SyncContext,
  proposalId: number,
  rows: Record<string, unknown>[],
  participants: PersonGroup[],
): TEntityResult[] {
  const keep = new Set(participants.map((g) => g.id!));
  const dropped = rows.filter((r) => !keep.has(Number(r.personId)));
  if (dropped.length === 0) return [];
  const ids = dropped.map((r) => Number(r.proposalHasPersonId));
  ctx.db.deleteLater(
    `DELETE FROM ${q(TABLE)} WHERE ${q('proposalId')} = ? AND ${q('proposalHasPersonId')} IN (${marks(ids.length)})`,
    [proposalId, ...ids],
    stepFailure('proposalParticipants', 'proposal.persons'),
  );
  return dropped.map((r) =>
    entityResult('', { personId: Number(r.personId) }, Number(r.proposalHasPersonId), { outcome: 'deleted' }),
  );
}
