import type { RowOf } from './kinds.js';
import { matchKey } from './match-key.js';
import type { PersonGroup } from './person-groups.js';
import type { LabContactPlan } from './sync-lab-contacts.js';
import type { LabPlan } from './sync-laboratories.js';

/**
 * The `labContactsFromPersons` option (sync-spec §4): a card for each proposal person who has
 * none, named `<laboratory> - <given> <family>`, cut to the column length, unique in the proposal.
 */
export function deriveLabContacts(
  persons: PersonGroup[],
  taken: { plans: LabContactPlan[]; rows: RowOf<'labContacts'>[] },
  options: { maxLength: number; labOf: Map<PersonGroup, LabPlan | null> },
): LabContactPlan[] {
  const hasCard = new Set<unknown>([
    ...taken.plans.map((p) => p.person.entity),
    ...taken.rows.map((r) => r.person),
  ]);
  const names = new Set<string>([
    ...taken.plans.map((p) => matchKey(p.entry.cardName)),
    ...taken.rows.map((r) => matchKey(r.cardName)),
  ]);
  const out: LabContactPlan[] = [];
  for (const person of new Set(persons)) {
    if (hasCard.has(person.entity)) continue;
    hasCard.add(person.entity);
    const cardName = uniqueName(baseName(person, options.labOf.get(person)), names, options.maxLength);
    names.add(matchKey(cardName));
    out.push({ path: person.path, entry: { cardName }, person });
  }
  return out;
}

function baseName(person: PersonGroup, lab: LabPlan | null | undefined): string {
  const who =
    [person.fields.givenName, person.fields.familyName].filter(Boolean).join(' ') ||
    person.login ||
    person.externalId ||
    'contact';
  const labName = lab?.fields.name;
  return labName ? `${labName} - ${who}` : who;
}

function uniqueName(base: string, names: Set<string>, maxLength: number): string {
  const cut = (s: string, room: number) => [...s].slice(0, room).join('').replace(/ +$/, '');
  let name = cut(base, maxLength);
  for (let n = 2; names.has(matchKey(name)); n++) {
    const suffix = ` (${n})`;
    name = cut(base, maxLength - suffix.length) + suffix;
  }
  return name;
}
