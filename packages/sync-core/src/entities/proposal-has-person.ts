import { defineEntity, p } from '@mikro-orm/core';
import { PersonEntity } from './person.js';
import { ProposalEntity } from './proposal.js';

/** ISPyB `ProposalHasPerson`: one row per (proposal, participant); no unique key in ISPyB. */
export const ProposalHasPersonEntity = defineEntity({
  name: 'ProposalHasPerson',
  tableName: 'ProposalHasPerson',
  properties: {
    proposalHasPersonId: p.integer().unsigned().primary().autoincrement().fieldName('proposalHasPersonId'),
    proposal: p.manyToOne(ProposalEntity).fieldName('proposalId'),
    person: p.manyToOne(PersonEntity).fieldName('personId'),
  },
});
