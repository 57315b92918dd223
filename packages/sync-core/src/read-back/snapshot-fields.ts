import { DECLARATION, type FieldDeclaration, type PayloadEntity, snapshotValueKind } from '@upsync/schema';
import type { ValueKind } from './snapshot-values.js';

// The payload fields read back per table (column = payload field name) with their value kinds, from
// the declaration; the key fields that read-proposal.ts selects by name are left out.

function readBackFields(entity: PayloadEntity, selectedByName: string[] = []): Record<string, ValueKind> {
  const out: Record<string, ValueKind> = {};
  for (const [name, d] of Object.entries(DECLARATION[entity].fields) as [string, FieldDeclaration][]) {
    if (!selectedByName.includes(name)) out[name] = snapshotValueKind(d.kind);
  }
  return out;
}

export const LABORATORY_FIELDS = readBackFields('laboratory');
export const PERSON_FIELDS = readBackFields('person');
export const PROPOSAL_FIELDS = readBackFields('proposal', ['proposalCode', 'proposalNumber']);
export const LAB_CONTACT_FIELDS = readBackFields('labContact', ['cardName']);
export const PROTEIN_FIELDS = readBackFields('protein', ['acronym']);
export const SESSION_FIELDS = readBackFields('session');
export const SESSION_OPTION_FIELDS = readBackFields('sessionOptions');
