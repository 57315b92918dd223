import type { TProposal } from '@upsync/schema';
import type { SelectQueryBuilder } from 'kysely';
import type { IspybDb } from '../entities/ispyb-rows.js';
import { encodeExternalId } from '../external-id.js';
import type { SyncContext } from './context.js';
import type { RowOf } from './kinds.js';
import { type LookUp, selectWhere } from './look-ups.js';
import { upsert } from './upsert.js';

/**
 * The proposal is upserted by the declared keys: externalId, then (proposalCode, proposalNumber)
 * under the database's collation (`mx` = `MX`); code and number are rewritten only when found by
 * externalId. `person` (personId) follows the first person of `proposal.persons`. Returns the
 * managed Proposal and whether it existed (a new one has no children to look up).
 */
export function syncProposalRow(
  ctx: SyncContext,
  proposal: TProposal,
  firstPerson: RowOf<'persons'>,
  rows: RowOf<'proposal'>[],
): { entity: RowOf<'proposal'>; existed: boolean } {
  const entry = {
    path: 'proposal',
    label: `proposal ${proposal.proposalCode}-${proposal.proposalNumber}`,
    payload: proposal,
  };
  const [entity] = upsert(ctx, 'proposal', [entry], rows, { set: () => ({ person: firstPerson }) });
  return { entity: entity!, existed: rows.includes(entity!) };
}

/**
 * The rows the payload's proposal may resolve to by code and number (collation), and, apart, by
 * externalId (undefined without one): two look-ups, so that syncAll knows whether the
 * proposal it resolves to is one whose children the first round trip read (`ProposalScope`).
 */
export function proposalLookUps(
  ctx: SyncContext,
  proposal: TProposal,
): { byKey: LookUp<'proposal'>; byExternalId: LookUp<'proposal'> | undefined } {
  const byKey = selectWhere(ctx, 'proposal', (eb) => eb.and(keyWhere(proposal)));
  const byExternalId =
    proposal.externalId == null
      ? undefined
      : selectWhere(ctx, 'proposal', (eb) => eb('externalId', '=', encodeExternalId(proposal.externalId!)));
  return {
    byKey: { kind: 'proposal', queries: [byKey] },
    byExternalId: byExternalId && { kind: 'proposal', queries: [byExternalId] },
  };
}

/**
 * Which proposal's children a look-up reads. Before the proposal is resolved: those with the
 * payload's code and number (an index every ISPyB has), so that the children travel in the first
 * round trip. Not "or with its externalId" too: without the optional index on
 * `Proposal.externalId` MariaDB then scans each child table and probes Proposal for every row
 * (measured at N = 100,000: 85–93 ms per child look-up, 0.7 ms by code and number). A proposal
 * found by externalId under another code and number (renamed) has its children read by its id
 * afterwards.
 */
export type ProposalScope = Pick<TProposal, 'proposalCode' | 'proposalNumber'> | { proposalId: number };

/** The ids of the proposals in `scope`: a subquery, or the one id. */
export function proposalIds(
  ctx: SyncContext,
  scope: ProposalScope,
): SelectQueryBuilder<IspybDb, 'Proposal', { proposalId: number }> | number[] {
  if ('proposalId' in scope) return [scope.proposalId];
  return ctx.sql
    .selectFrom('Proposal')
    .select('proposalId')
    .where((eb) => eb.and(keyWhere(scope)));
}

function keyWhere(p: Pick<TProposal, 'proposalCode' | 'proposalNumber'>) {
  return { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
}

/** The ids of the proposals, other than the resolved `proposal`, that child rows found belong to. */
export function proposalsElsewhere(
  rows: { proposal: RowOf<'proposal'> }[],
  proposal: RowOf<'proposal'> | undefined,
): number[] {
  const ids = new Set<number>();
  for (const row of rows) if (row.proposal !== proposal) ids.add(Number(row.proposal.proposalId));
  return [...ids];
}

/** The rows of `rows` that belong to the resolved proposal (none when it is new). */
export function ofProposal<R extends { proposal: RowOf<'proposal'> }>(
  rows: R[],
  proposal: RowOf<'proposal'> | undefined,
): R[] {
  return proposal ? rows.filter((r) => r.proposal === proposal) : [];
}
