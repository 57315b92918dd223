import type { TEntityResult } from '@upsync/schema';
import { q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import type { ProposalIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
import { matchKeyOf } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';

const TABLE = 'Proposal';
const FIELDS = ['title', 'proposalType', 'state'] as const;
const PATH = 'proposal';

/**
 * The proposal is matched by externalId, then (proposalCode, proposalNumber) under the database's
 * collation (`mx` = `MX`). Code and number are rewritten only when found by externalId;
 * `personId` follows the first person of `proposal.persons`.
 */
export async function syncProposalRow(
  ctx: SyncContext,
  proposal: ProposalIn,
  firstPersonId: number,
): Promise<{ id: number; results: TEntityResult[] }> {
  const ext = proposal.externalId == null ? undefined : encodeExternalId(proposal.externalId);
  const rows = await findProposals(ctx, proposal, ext);
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
    const [id] = await ctx.db.insert(TABLE, 'proposalId', [
      { ...wanted, proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber },
    ]);
    return { id: id!, results: [entityResult(PATH, key, id!, { outcome: 'created' })] };
  }
  if (resolved.by === 'externalId')
    Object.assign(wanted, { proposalCode: proposal.proposalCode, proposalNumber: proposal.proposalNumber });
  const id = Number(row.proposalId);
  const changed = changedColumns(row, wanted);
  await ctx.db.update(TABLE, { proposalId: id }, changed);
  return { id, results: [entityResult(PATH, key, id, { outcome: outcomeOf(changed), changed })] };
}

function legacyOf(p: Pick<ProposalIn, 'proposalCode' | 'proposalNumber'>): string {
  return matchKeyOf([p.proposalCode, p.proposalNumber]);
}

async function findProposals(
  ctx: SyncContext,
  proposal: ProposalIn,
  ext: Buffer | undefined,
): Promise<Row[]> {
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
  const byCode = `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('proposalCode')} = ? AND ${q('proposalNumber')} = ?`;
  const params: unknown[] = [proposal.proposalCode, proposal.proposalNumber];
  if (!ext) return ctx.db.select(byCode, params);
  return ctx.db.select(`SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('externalId')} = ? UNION ${byCode}`, [
    ext,
    ...params,
  ]);
}

function keyOf(p: ProposalIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = { proposalCode: p.proposalCode, proposalNumber: p.proposalNumber };
  if (p.externalId != null) key.externalId = p.externalId;
  return key;
}
