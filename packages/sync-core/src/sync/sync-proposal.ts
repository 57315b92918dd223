import type { Knex } from '@mikro-orm/knex';
import type { TEntityResult } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import type { ProposalIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
import { type LookUp, selectFrom } from './look-ups.js';
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
  proposal: ProposalIn,
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
      legacyOf: (row) => legacyOf(row as unknown as ProposalIn),
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
  const entity = row ? Object.assign(row, wanted) : create(ctx.em, 'proposal', wanted);
  track(ctx, {
    kind: 'proposal',
    path: PATH,
    entity,
    key: () => keyOf(proposal),
    id: () => idOf(entity, 'proposalId'),
  });
  return { entity, existed: row !== undefined };
}

function legacyOf(p: Pick<ProposalIn, 'proposalCode' | 'proposalNumber'>): string {
  return matchKeyOf([p.proposalCode, p.proposalNumber]);
}

/** The rows the payload's proposal may resolve to: by code and number (collation), or externalId. */
export function proposalLookUp(ctx: SyncContext, proposal: ProposalIn): LookUp {
  return { kind: 'proposal', queries: [whereProposal(selectFrom(ctx, 'proposal'), proposal)] };
}

/**
 * The ids of the rows the payload's proposal may resolve to, as a subquery: the children's
 * look-ups travel with the proposal's, before it is resolved (each module keeps the resolved
 * proposal's rows, see `ofProposal`).
 */
export function proposalIds(ctx: SyncContext, proposal: ProposalIn): Knex.QueryBuilder {
  return whereProposal(ctx.em.getKnex()(TABLE).select('proposalId'), proposal);
}

function whereProposal(query: Knex.QueryBuilder, proposal: ProposalIn): Knex.QueryBuilder {
  query.where({ proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber });
  if (proposal.externalId != null) query.orWhere('externalId', encodeExternalId(proposal.externalId));
  return query;
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

function keyOf(p: ProposalIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
  if (p.externalId != null) key.externalId = p.externalId;
  return key;
}
