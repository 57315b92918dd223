import type { TProtein } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import type { SyncContext } from './context.js';
import type { RowOf } from './kinds.js';
import { type LookUp, selectAny, selectWhere, type Where } from './look-ups.js';
import type { PayloadPerson, PersonGroup } from './person-groups.js';
import { type ProposalScope, proposalIds, proposalsElsewhere } from './proposal-row.js';
import { upsert } from './upsert.js';

/**
 * Proteins are upserted by the declared keys: externalId, then acronym within the proposal. Fields
 * present are written (absent ones, e.g. description or sequence, are kept); the owner `person` is
 * the payload's person resolved by the person rules and follows the payload. A protein found by
 * acronym keeps its acronym's spelling; one found by externalId in this or another proposal keeps
 * its proposal (a new one joins the payload's).
 */
export function syncProteins(
  ctx: SyncContext,
  proposal: RowOf<'proposal'>,
  proteins: TProtein[],
  groupOf: Map<PayloadPerson, PersonGroup>,
  rows: RowOf<'proteins'>[],
): void {
  const entries = proteins.map((protein, i) => ({
    path: `proteins[${i}]`,
    label: `protein ${protein.acronym}`,
    payload: protein,
    person: groupOf.get(protein.person)!.entity!,
  }));
  upsert(ctx, 'proteins', entries, rows, {
    child: { proposalId: proposal.proposalId },
    set: ({ person }, found) => (found.row ? { person } : { person, proposal }),
  });
}

/**
 * The rows the payload's proteins may resolve to: by externalId anywhere, by acronym in the
 * proposal the payload may resolve to (`scope`: rows of a proposal it does not resolve to
 * are never matched by acronym, see upsert's `child`).
 */
export function proteinsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
  proteins: TProtein[],
): LookUp<'proteins'> | undefined {
  if (proteins.length === 0) return undefined;
  const exts = proteins.flatMap((p) => (p.externalId == null ? [] : [encodeExternalId(p.externalId)]));
  const acronyms = proteins.map((p) => p.acronym);
  const branches: Where<'Protein'>[] = [
    (eb) => eb.and([eb('proposalId', 'in', proposalIds(ctx, scope)), eb('acronym', 'in', acronyms)]),
  ];
  if (exts.length > 0) branches.push((eb) => eb('externalId', 'in', exts));
  return { kind: 'proteins', queries: [selectAny(ctx, 'proteins', branches)!] };
}

/**
 * For rows found by externalId in another proposal than `proposal`, that proposal's rows with the
 * payload's acronyms (such a protein may take an acronym held there: upsert warns). Rare:
 * undefined when there are none.
 */
export function proteinHoldersLookUp(
  ctx: SyncContext,
  proposal: RowOf<'proposal'> | undefined,
  proteins: TProtein[],
  rows: RowOf<'proteins'>[],
): LookUp<'proteins'> | undefined {
  const elsewhere = proposalsElsewhere(rows, proposal);
  if (elsewhere.length === 0) return undefined;
  const acronyms = proteins.map((p) => p.acronym);
  const query = selectWhere(ctx, 'proteins', (eb) =>
    eb.and([eb('proposalId', 'in', elsewhere), eb('acronym', 'in', acronyms)]),
  );
  return { kind: 'proteins', queries: [query] };
}
