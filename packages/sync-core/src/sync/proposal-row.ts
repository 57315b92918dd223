import type { TEntityResult, TProposal } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import { resolveKeys } from './key-precedence.js';
import { type LookUp, type Query, selectWhere } from './look-ups.js';
import { matchKeyOf } from './match-key.js';

const TABLE = 'Proposal';
// code, number and externalId are the keys
const FIELDS = copiedFields('proposal', ['proposalCode', 'proposalNumber', 'externalId']);
const PATH = 'proposal';

/**
 * The proposal is matched by externalId, then (proposalCode, proposalNumber) under the database's
 * collation (`mx` = `MX`). Code and number are rewritten only when found by externalId;
 * `person` (personId) follows the first person of `proposal.persons`. Returns the managed
 * Proposal and whether it existed (a new one has no children to look up).
 */
export function syncProposalRow(
  ctx: SyncContext,
  proposal: TProposal,
  firstPerson: Managed,
  rows: Managed[],
): { entity: Managed; existed: boolean } {
  const ext = proposal.externalId == null ? undefined : encodeExternalId(proposal.externalId);
  const [resolved] = resolveKeys(
    [
      {
        path: PATH,
        externalId: ext,
        legacy: legacyOf(proposal),
        label: `proposal ${proposal.proposalCode}-${proposal.proposalNumber}`,
      },
    ],
    rows,
    {
      table: TABLE,
      idColumn: 'proposalId',
      legacyOf: (row) => legacyOf(row as unknown as TProposal),
      externalIdOf: (row) => row.externalId,
      sameExternalId: (row, entry) =>
        Buffer.isBuffer(row.externalId) && row.externalId.equals(entry.externalId as Buffer),
    },
    ctx.warn,
  );
  const wanted: Managed = {
    ...pickPresent(
      proposal,
      FIELDS.filter((f) => ctx.has(TABLE, f)),
    ),
    person: firstPerson,
  };
  if (ext) wanted.externalId = ext;
  const row = resolved?.row;
  // found by its code and number: those are its key and keep their spelling
  if (!row || resolved.by === 'externalId')
    Object.assign(wanted, { proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber });
  const entity = row ? Object.assign(row, wanted) : create(ctx, 'proposal', wanted);
  track(ctx, {
    kind: 'proposal',
    path: PATH,
    entity,
    key: () => keyOf(proposal),
    id: () => idOf(entity, 'proposalId'),
  });
  return { entity, existed: row !== undefined };
}

function legacyOf(p: Pick<TProposal, 'proposalCode' | 'proposalNumber'>): string {
  return matchKeyOf([p.proposalCode, p.proposalNumber]);
}

/**
 * The rows the payload's proposal may resolve to by code and number (collation), and, apart, by
 * externalId (undefined without one): two look-ups, so that the orchestrator knows whether the
 * proposal it resolves to is one whose children the first round trip read (`ProposalScope`).
 */
export function proposalLookUps(
  ctx: SyncContext,
  proposal: TProposal,
): { byKey: LookUp; byExternalId: LookUp | undefined } {
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
export function proposalIds(ctx: SyncContext, scope: ProposalScope): Query | number[] {
  if ('proposalId' in scope) return [scope.proposalId];
  return ctx.sql
    .selectFrom(TABLE)
    .select('proposalId')
    .where((eb) => eb.and(keyWhere(scope))) as Query;
}

function keyWhere(p: Pick<TProposal, 'proposalCode' | 'proposalNumber'>) {
  return { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
}

/** The ids of the proposals, other than the resolved `proposal`, that child rows found belong to. */
export function proposalsElsewhere(rows: Managed[], proposal: Managed | undefined): number[] {
  const ids = new Set<number>();
  for (const row of rows)
    if (row.proposal !== proposal) ids.add(idOf(row.proposal as Managed, 'proposalId')!);
  return [...ids];
}

/** The rows of `rows` that belong to the resolved proposal (none when it is new). */
export function ofProposal(rows: Managed[], proposal: Managed | undefined): Managed[] {
  return proposal ? rows.filter((r) => r.proposal === proposal) : [];
}

function keyOf(p: TProposal): TEntityResult['key'] {
  const key: TEntityResult['key'] = { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
  if (p.externalId != null) key.externalId = p.externalId;
  return key;
}
