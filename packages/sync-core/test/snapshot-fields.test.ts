import {
  type PayloadEntity,
  ZProposalSnapshot,
  ZSnapshotLabContact,
  ZSnapshotLaboratory,
  ZSnapshotPerson,
  ZSnapshotProtein,
  ZSnapshotSession,
  ZSnapshotSessionPerson,
} from '@upsync/schema';
import { describe, expect, it } from 'vitest';
import {
  LAB_CONTACT_FIELDS,
  LABORATORY_FIELDS,
  PERSON_FIELDS,
  PROPOSAL_FIELDS,
  PROTEIN_FIELDS,
  SESSION_FIELDS,
  SESSION_OPTION_FIELDS,
} from '../src/read-back/snapshot-fields.js';
import type { ValueKind } from '../src/read-back/snapshot-values.js';

interface Shape {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
}

// Per payload entity: the read-back's field list and the snapshot's wire shape (both derived from
// the declaration, by two different functions: these tests hold them to each other).
const CASES: { entity: PayloadEntity; fields: Record<string, ValueKind>; wire: Shape }[] = [
  { entity: 'laboratory', fields: LABORATORY_FIELDS, wire: ZSnapshotLaboratory },
  { entity: 'person', fields: PERSON_FIELDS, wire: ZSnapshotPerson },
  {
    entity: 'proposal',
    fields: PROPOSAL_FIELDS,
    wire: ZProposalSnapshot.shape.proposal,
  },
  { entity: 'labContact', fields: LAB_CONTACT_FIELDS, wire: ZSnapshotLabContact },
  { entity: 'protein', fields: PROTEIN_FIELDS, wire: ZSnapshotProtein },
  { entity: 'session', fields: SESSION_FIELDS, wire: ZSnapshotSession },
  {
    entity: 'sessionOptions',
    fields: SESSION_OPTION_FIELDS,
    wire: ZSnapshotSessionPerson.shape.session_options,
  },
];

/** What a value kind's wire type must accept and refuse (probed, so any zod version will do). */
const PROBES: Record<ValueKind, { accepts: unknown[]; refuses: unknown[] }> = {
  text: { accepts: ['a'], refuses: [2] },
  datetime: { accepts: ['2026-01-02 03:04:05'], refuses: [2] },
  externalId: { accepts: ['1234'], refuses: [2] },
  number: { accepts: [2, 0], refuses: ['a'] },
  flag: { accepts: [0, 1], refuses: [2, 'a'] },
};

describe('the read-back converts each field to the type its snapshot wire shape gives it', () => {
  for (const { entity, fields, wire } of CASES) {
    it(`${entity}: each field's kind matches its type in the snapshot's wire shape`, () => {
      for (const [field, kind] of Object.entries(fields)) {
        const type = wire.shape[field];
        expect(type, `${entity}.${field} is missing from the snapshot shape`).toBeDefined();
        for (const value of PROBES[kind].accepts)
          expect(type!.safeParse(value).success, `${entity}.${field} (${kind}) accepts ${value}`).toBe(true);
        for (const value of PROBES[kind].refuses)
          expect(type!.safeParse(value).success, `${entity}.${field} (${kind}) refuses ${value}`).toBe(false);
      }
    });
  }
});
