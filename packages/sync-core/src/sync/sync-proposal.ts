import type { TEntityResult } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create, findIn } from './entities.js';
import type { ProposalIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
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

/** The rows the payload's proposal may resolve to: one query, by code and number or externalId. */
export async function findProposals(ctx: SyncContext, proposal: ProposalIn): Promise<Managed[]> {
  const byKey = { proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber };
  const where =
    proposal.externalId == null
      ? byKey
      : { $or: [byKey, { externalId: encodeExternalId(proposal.externalId) }] };
  return findIn(ctx.em, 'proposal', [where], ([w]) => w!);
}

function keyOf(p: ProposalIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
  if (p.externalId != null) key.externalId = p.externalId;
  return key;
}
