import type { TSyncProposal } from '@upsync/schema';
import { matchKey } from './match-key.js';
import type { PersonGroup } from './person-groups.js';
import type { LabPlan } from './sync-laboratories.js';

/** Every identity key the payload resolves (locked before any lookup, so concurrent syncs serialise). */
export function identitiesOf(input: TSyncProposal, persons: PersonGroup[], labs: LabPlan[]): string[] {
  const keys: string[] = [];
  const p = input.proposal;
  keys.push(`proposal:cn:${matchKey(p.proposalCode)}\u0001${matchKey(p.proposalNumber)}`);
  if (p.externalId != null) keys.push(`proposal:ext:${p.externalId}`);
  for (const person of persons) {
    if (person.externalId !== undefined) keys.push(`person:ext:${person.externalId}`);
    if (person.login !== undefined) keys.push(`person:login:${matchKey(person.login)}`);
  }
  for (const lab of labs) {
    if (lab.extPk !== undefined) keys.push(`lab:extpk:${lab.extPk}`);
    keys.push(`lab:ncc:${lab.ncc}`);
  }
  // sessions and proteins found by (proposal, key) are covered by the proposal's lock
  for (const s of input.sessions ?? []) if (s.externalId != null) keys.push(`session:ext:${s.externalId}`);
  for (const pr of input.proteins ?? []) if (pr.externalId != null) keys.push(`protein:ext:${pr.externalId}`);
  return keys;
}
