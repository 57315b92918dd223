import { defineEntity, p } from '@mikro-orm/core';
import { Binary16Type } from './binary16-type.js';
import { LocalDatetimeType } from './local-datetime-type.js';
import { PersonEntity } from './person.js';

/** ISPyB `Proposal` (latin1 table, utf8mb4 title): matched by externalId, then (proposalCode, proposalNumber). */
export const ProposalEntity = defineEntity({
  name: 'Proposal',
  tableName: 'Proposal',
  properties: {
    proposalId: p.integer().unsigned().primary().autoincrement().fieldName('proposalId'),
    person: p.manyToOne(PersonEntity).fieldName('personId'),
    title: p.string().length(200).nullable().fieldName('title'),
    proposalCode: p.string().length(45).nullable().fieldName('proposalCode'),
    proposalNumber: p.string().length(45).nullable().fieldName('proposalNumber'),
    proposalType: p.string().length(2).nullable().fieldName('proposalType'),
    bltimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('bltimeStamp'),
    externalId: p.type(Binary16Type).nullable().fieldName('externalId'),
    state: p.enum(['Open', 'Closed', 'Cancelled']).nullable().fieldName('state'),
  },
});
