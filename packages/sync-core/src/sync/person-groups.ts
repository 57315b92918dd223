import type { TPerson, TPersonGroup, TPersonOccurrence } from '@upsync/schema';
import type { RowOf } from './kinds.js';

/** A person object of the payload (proposal, lab contact, protein or session person). */
export type PayloadPerson = TPersonOccurrence['person'];

/** One identity of the payload (parseSyncProposal's grouping), as the sync tracks it. */
export interface PersonGroup {
  /** Path of the first occurrence (where results and warnings point). */
  path: string;
  externalId: string | undefined;
  login: string | undefined;
  /** Merged fields (without session_options). */
  fields: TPerson;
  /** The managed Person it resolved to (found or created): set by sync-persons. */
  entity?: RowOf<'persons'>;
}

/**
 * The parser's person identity groups (grouping exists once, in @upsync/schema), with the group
 * of each occurrence: the occurrences are the payload's own person objects.
 */
export function personGroups(parsed: TPersonGroup[]): {
  groups: PersonGroup[];
  groupOf: Map<PayloadPerson, PersonGroup>;
} {
  const groupOf = new Map<PayloadPerson, PersonGroup>();
  const groups = parsed.map((g) => {
    const group: PersonGroup = {
      path: g.occurrences[0]!.path,
      externalId: g.externalId,
      login: g.login,
      fields: g.person,
    };
    for (const occurrence of g.occurrences) groupOf.set(occurrence.person, group);
    return group;
  });
  return { groups, groupOf };
}
