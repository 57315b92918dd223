import type { TEntityResult } from '@upsync/schema';
import { joined, marks, q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { PersonIn, ProteinIn } from './input.js';
import { resolveChildKeys } from './key-precedence.js';
import { matchKey } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';
import type { ProposalScope } from './proposal-scope.js';
import { stepFailure } from './run-step.js';

const TABLE = 'Protein';
// externalId is the key; acronym, the legacy key, is copied (a row found by it keeps its spelling)
const FIELDS = copiedFields('protein', ['externalId']);

/**
 * Proteins are matched by externalId, then (proposalId, acronym). Fields present are written
 * (absent ones, e.g. description or sequence, are kept); the owner `personId` is the payload's
 * person resolved by the person rules and follows the payload. A protein found by acronym keeps
 * its acronym's spelling; one found by externalId in this or another proposal keeps its proposal.
 */
export async function syncProteins(
  ctx: SyncContext,
  proposalId: number,
  proteins: ProteinIn[],
  groupOf: Map<PersonIn, PersonGroup>,
  rows: Row[],
): Promise<TEntityResult[]> {
  if (proteins.length === 0) return [];
  const entries = proteins.map((p, i) => ({
    path: `proteins[${i}]`,
    externalId: p.externalId == null ? undefined : encodeExternalId(p.externalId),
    legacy: matchKey(p.acronym),
    label: `protein ${p.acronym}`,
  }));
  const resolved = resolveChildKeys(
    entries,
    rows,
    {
      table: TABLE,
      idColumn: 'proteinId',
      proposalId,
      keyOf: (row) => (row.acronym == null ? undefined : matchKey(row.acronym)),
    },
    ctx.warn,
  );
  const results: TEntityResult[] = [];
  const toCreate: { path: string; protein: ProteinIn; row: Row }[] = [];
  for (const [i, protein] of proteins.entries()) {
    const path = `proteins[${i}]`;
    const wanted = wantedColumns(ctx, protein, groupOf);
    const { row, by } = resolved[i]!;
    if (!row) {
      toCreate.push({ path, protein, row: { ...wanted, proposalId } });
      continue;
    }
    if (by === 'legacy') delete wanted.acronym;
    const changed = changedColumns(row, wanted);
    ctx.db.updateLater(TABLE, { proteinId: row.proteinId }, changed, stepFailure('proteins', path));
    results.push(
      entityResult(path, keyOf(protein), Number(row.proteinId), { outcome: outcomeOf(changed), changed }),
    );
  }
  const ids = ctx.db.insertNew(
    TABLE,
    'proteinId',
    toCreate.map((c) => c.row),
    stepFailure('proteins', 'proteins'),
  );
  toCreate.forEach((c, i) => {
    results.push(entityResult(c.path, keyOf(c.protein), ids[i]!, { outcome: 'created' }));
  });
  return results;
}

function wantedColumns(ctx: SyncContext, protein: ProteinIn, groupOf: Map<PersonIn, PersonGroup>): Row {
  const wanted = pickPresent(protein, ctx.db.present(TABLE, FIELDS));
  wanted.personId = groupOf.get(protein.person)!.id;
  if (protein.externalId != null) wanted.externalId = encodeExternalId(protein.externalId);
  return wanted;
}

/** The rows the payload's proteins may resolve to: by externalId anywhere, by acronym in `scope`. */
export async function findProteins(
  ctx: SyncContext,
  scope: ProposalScope,
  proteins: ProteinIn[],
): Promise<Row[]> {
  if (proteins.length === 0) return [];
  const names = ['proteinId', 'proposalId', 'personId', 'externalId', ...ctx.db.present(TABLE, FIELDS)];
  const cols = names.map(q).join(', ');
  const exts = proteins.flatMap((p) => (p.externalId == null ? [] : [encodeExternalId(p.externalId)]));
  const acronyms = proteins.map((p) => p.acronym);
  const byAcronym = `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('proposalId')} IN (${scope.sql}) AND ${q('acronym')} IN (${marks(acronyms.length)})`;
  if (exts.length === 0) return ctx.db.select(byAcronym, [...scope.params, ...acronyms]);
  // the rows with the payload's externalIds, and the rows of their proposals with its acronyms
  // (a protein found in another proposal may take an acronym held there: resolveChildKeys)
  const byExt =
    `SELECT DISTINCT ${joined('p2', names)} FROM ${q(TABLE)} p1 JOIN ${q(TABLE)} p2 ON p2.${q('proposalId')} = p1.${q('proposalId')} ` +
    `WHERE p1.${q('externalId')} IN (${marks(exts.length)}) AND (p2.${q('proteinId')} = p1.${q('proteinId')} OR p2.${q('acronym')} IN (${marks(acronyms.length)}))`;
  return ctx.db.selectUnion(
    [byExt, byAcronym],
    [...exts, ...acronyms, ...scope.params, ...acronyms],
    'proteinId',
  );
}

function keyOf(protein: ProteinIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = { acronym: protein.acronym };
  if (protein.externalId != null) key.externalId = protein.externalId;
  return key;
}
