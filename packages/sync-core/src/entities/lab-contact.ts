import { defineEntity, p } from '@mikro-orm/core';
import { LocalDatetimeType } from './local-datetime-type.js';
import { PersonEntity } from './person.js';
import { ProposalEntity } from './proposal.js';

/** ISPyB `LabContact` (shipping card): unique (personId, proposalId) and (cardName, proposalId). */
export const LabContactEntity = defineEntity({
  name: 'LabContact',
  tableName: 'LabContact',
  properties: {
    labContactId: p.integer().unsigned().primary().autoincrement().fieldName('labContactId'),
    person: p.manyToOne(PersonEntity).fieldName('personId'),
    cardName: p.string().length(40).fieldName('cardName'),
    proposal: p.manyToOne(ProposalEntity).fieldName('proposalId'),
    defaultCourrierCompany: p.string().length(45).nullable().fieldName('defaultCourrierCompany'),
    courierAccount: p.string().length(45).nullable().fieldName('courierAccount'),
    billingReference: p.string().length(45).nullable().fieldName('billingReference'),
    dewarAvgCustomsValue: p.integer().unsigned().fieldName('dewarAvgCustomsValue'),
    dewarAvgTransportValue: p.integer().unsigned().fieldName('dewarAvgTransportValue'),
    recordTimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('recordTimeStamp'),
  },
  uniques: [{ properties: ['person', 'proposal'] }, { properties: ['cardName', 'proposal'] }],
});
