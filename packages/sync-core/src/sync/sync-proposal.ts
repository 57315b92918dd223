import type { TEntityResult } from '@upsync/schema';
import { q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { ProposalIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
import { matchKeyOf } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';
import { stepFailure } from './run-step.js';

const TABLE = 'Proposal';
// code, number and externalId are the keys
const FIELDS = copiedFields('proposal', ['proposalCode', 'proposalNumber', 'externalId']);
const PATH = 'proposal';
const BY_KEY = 'upsyncByKey';

/**
 * The proposal is matched by externalId, then (proposalCode, proposalNumber) under the database's
 * collation (`mx` = `MX`). Code and number are rewritten only when found by externalId;
 * `personId` follows the first person of `proposal.persons`.
 */
export async function syncProposalRow(
  ctx: SyncContext,
  proposal: ProposalIn,
  firstPersonId: number,
  rows: Row[],
): Promise<{ id: number; results: TEntityResult[]; inKeyScope: boolean }> {
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
  const wanted: Row = { ...pickPresent(proposal, ctx.db.present(TABLE, FIELDS)), personId: firstPersonId };
  if (ext) wanted.externalId = ext;
  const key = keyOf(proposal);
  const row = resolved?.row;
  if (!row) {
    const [id] = ctx.db.insertNew(
      TABLE,
      'proposalId',
      [{ ...wanted, proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber }],
      stepFailure('proposal', PATH),
    );
    return { id: id!, results: [entityResult(PATH, key, id!, { outcome: 'created' })], inKeyScope: true };
  }
  if (resolved.by === 'externalId')
    Object.assign(wanted, { proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber });
  const id = Number(row.proposalId);
  const changed = changedColumns(row, wanted);
  ctx.db.updateLater(TABLE, { proposalId: id }, changed, stepFailure('proposal', PATH));
  return {
    id,
    results: [entityResult(PATH, key, id, { outcome: outcomeOf(changed), changed })],
    // the children read with the first look-ups cover this proposal only if its code matched
    inKeyScope: Number(row[BY_KEY]) === 1,
  };
}

function legacyOf(p: Pick<ProposalIn, 'proposalCode' | 'proposalNumber'>): string {
  return matchKeyOf([p.proposalCode, p.proposalNumber]);
}

/**
 * The rows the payload's proposal may resolve to, one per proposal; `upsyncByKey` = 1 on those
 * that the code and number matched (the children look-ups' scope, proposal-scope.ts).
 */
export async function findProposals(ctx: SyncContext, proposal: ProposalIn): Promise<Row[]> {
  const ext = proposal.externalId == null ? undefined : encodeExternalId(proposal.externalId);
  const cols = [
    'proposalId',
    'personId',
    'proposalCode',
    'proposalNumber',
    'externalId',
    ...ctx.db.present(TABLE, FIELDS),
  ]
    .map(q)
    .join(', ');
  const byCode = `SELECT ${cols}, 1 AS ${q(BY_KEY)} FROM ${q(TABLE)} WHERE ${q('proposalCode')} = ? AND ${q('proposalNumber')} = ?`;
  const params: unknown[] = [proposal.proposalCode, proposal.proposalNumber];
  if (!ext) return ctx.db.select(byCode, params);
  // a row that both parts find is kept once, from the first part: marked as matched by key
  return ctx.db.selectUnion(
    [byCode, `SELECT ${cols}, 0 AS ${q(BY_KEY)} FROM ${q(TABLE)} WHERE ${q('externalId')} = ?`],
    [...params, ext],
    'proposalId',
  );
}

function keyOf(p: ProposalIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
  if (p.externalId != null) key.externalId = p.externalId;
  return key;
}
