import type { TEntityResult } from '@upsync/schema';
import { marks, q } from '../db/gateway.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, type SyncContext } from './context.js';

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
  proposalIsNew = false,
): Promise<TEntityResult[]> {
  // a proposal created in this transaction has no participants yet: skip the round trip
  const rows = proposalIsNew
    ? []
    : await ctx.db.select(
        `SELECT ${q('proposalHasPersonId')}, ${q('personId')} FROM ${q(TABLE)} WHERE ${q('proposalId')} = ? ORDER BY ${q('proposalHasPersonId')}`,
        [proposalId],
      );
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
  const ids = await ctx.db.insert(
    TABLE,
    'proposalHasPersonId',
    missing.map((g) => ({ proposalId, personId: g.id! })),
  );
  missing.forEach((g, i) => {
    results.push(entityResult(g.path, { personId: g.id! }, ids[i]!, { outcome: 'created' }));
  });
  if (ctx.reconcile) results.push(...(await removeDropped(ctx, proposalId, rows, participants)));
  return results;
}

async function removeDropped(
  ctx: SyncContext,
  proposalId: number,
  rows: Record<string, unknown>[],
  participants: PersonGroup[],
): Promise<TEntityResult[]> {
  const keep = new Set(participants.map((g) => g.id!));
  const dropped = rows.filter((r) => !keep.has(Number(r.personId)));
  if (dropped.length === 0) return [];
  const ids = dropped.map((r) => Number(r.proposalHasPersonId));
  await ctx.db.run(
    `DELETE FROM ${q(TABLE)} WHERE ${q('proposalId')} = ? AND ${q('proposalHasPersonId')} IN (${marks(ids.length)})`,
    [proposalId, ...ids],
  );
  return dropped.map((r) =>
    entityResult('', { personId: Number(r.personId) }, Number(r.proposalHasPersonId), { outcome: 'deleted' }),
  );
}
