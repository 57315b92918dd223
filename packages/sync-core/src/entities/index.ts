import { BLSessionEntity } from './bl-session.js';
import { LabContactEntity } from './lab-contact.js';
import { LaboratoryEntity } from './laboratory.js';
import { PersonEntity } from './person.js';
import { ProposalEntity } from './proposal.js';
import { ProposalHasPersonEntity } from './proposal-has-person.js';
import { ProteinEntity } from './protein.js';
import { SessionHasPersonEntity } from './session-has-person.js';

export {
  BLSessionEntity,
  LabContactEntity,
  LaboratoryEntity,
  PersonEntity,
  ProposalEntity,
  ProposalHasPersonEntity,
  ProteinEntity,
  SessionHasPersonEntity,
};

/** Every ISPyB table upsync maps, for MikroORM discovery (internal: entities never leave sync-core). */
export const ISPYB_ENTITIES = [
  LaboratoryEntity,
  PersonEntity,
  ProposalEntity,
  ProposalHasPersonEntity,
  LabContactEntity,
  ProteinEntity,
  BLSessionEntity,
  SessionHasPersonEntity,
] as const;
