import type { TEntityResult, TProtein } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import { resolveChildKeys } from './key-precedence.js';
import { type LookUp, selectAny, selectWhere, type Where } from './look-ups.js';
import { matchKey } from './match-key.js';
import type { PayloadPerson, PersonGroup } from './person-groups.js';
import { type ProposalScope, proposalIds, proposalsElsewhere } from './sync-proposal.js';

const TABLE = 'Protein';
// externalId is the key; acronym, the legacy key, is copied (a row found by it keeps its spelling)
const FIELDS = copiedFields('protein', ['externalId']);

/**
 * Proteins are matched by externalId, then (proposalId, acronym). Fields present are written
 * (absent ones, e.g. description or sequence, are kept); the owner `person` is the payload's
 * person resolved by the person rules and follows the payload. A protein found by acronym keeps
 * its acronym's spelling; one found by externalId in this or another proposal keeps its proposal.
 */
export function syncProteins(
  ctx: SyncContext,
  proposal: Managed,
  proteins: TProtein[],
  groupOf: Map<PayloadPerson, PersonGroup>,
  rows: Managed[],
): void {
  if (proteins.length === 0) return;
  const resolved = resolveChildKeys(
    proteins.map((p, i) => ({
      path: `proteins[${i}]`,
      externalId: p.externalId == null ? undefined : encodeExternalId(p.externalId),
      legacy: matchKey(p.acronym),
      label: `protein ${p.acronym}`,
    })),
    rows,
    {
      table: TABLE,
      idColumn: 'proteinId',
      proposalId: idOf(proposal, 'proposalId') ?? undefined,
      keyOf: (row) => (row.acronym == null ? undefined : matchKey(row.acronym)),
    },
    ctx.warn,
  );
  const fields = FIELDS.filter((f) => ctx.has(TABLE, f));
  for (const [i, protein] of proteins.entries()) {
    const wanted = pickPresent(protein, fields);
    wanted.person = groupOf.get(protein.person)!.entity;
    if (protein.externalId != null) wanted.externalId = encodeExternalId(protein.externalId);
    const { row, by } = resolved[i]!;
    if (row && by === 'legacy') delete wanted.acronym;
    const entity = row ? Object.assign(row, wanted) : create(ctx, 'proteins', { ...wanted, proposal });
    track(ctx, {
      kind: 'proteins',
      path: `proteins[${i}]`,
      entity,
      key: () => keyOf(protein),
      id: () => idOf(entity, 'proteinId'),
    });
  }
}

/**
 * The rows the payload's proteins may resolve to: by externalId anywhere, by acronym in the
 * proposal the payload may resolve to (`scope`: rows of a proposal it does not resolve to
 * are never matched by acronym, see resolveChildKeys).
 */
export function proteinsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
  proteins: TProtein[],
): LookUp | undefined {
  if (proteins.length === 0) return undefined;
  const exts = proteins.flatMap((p) => (p.externalId == null ? [] : [encodeExternalId(p.externalId)]));
  const acronyms = proteins.map((p) => p.acronym);
  const branches: Where[] = [
    (eb) => eb.and([eb('proposalId', 'in', proposalIds(ctx, scope)), eb('acronym', 'in', acronyms)]),
  ];
  if (exts.length > 0) branches.push((eb) => eb('externalId', 'in', exts));
  return { kind: 'proteins', queries: [selectAny(ctx, 'proteins', branches)!] };
}

/**
 * For rows found by externalId in another proposal than `proposal`, that proposal's rows with the
 * payload's acronyms (such a protein may take an acronym held there: resolveChildKeys). Rare:
 * undefined when there are none.
 */
export function proteinHoldersLookUp(
  ctx: SyncContext,
  proposal: Managed | undefined,
  proteins: TProtein[],
  rows: Managed[],
): LookUp | undefined {
  const elsewhere = proposalsElsewhere(rows, proposal);
  if (elsewhere.length === 0) return undefined;
  const acronyms = proteins.map((p) => p.acronym);
  const query = selectWhere(ctx, 'proteins', (eb) =>
    eb.and([eb('proposalId', 'in', elsewhere), eb('acronym', 'in', acronyms)]),
  );
  return { kind: 'proteins', queries: [query] };
}

function keyOf(protein: TProtein): TEntityResult['key'] {
  const key: TEntityResult['key'] = { acronym: protein.acronym };
  if (protein.externalId != null) key.externalId = protein.externalId;
  return key;
}
