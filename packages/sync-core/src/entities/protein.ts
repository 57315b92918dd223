import { defineEntity, p } from '@mikro-orm/core';
import { Binary16Type } from './binary16-type.js';
import { LocalDatetimeType } from './local-datetime-type.js';
import { PersonEntity } from './person.js';
import { ProposalEntity } from './proposal.js';

/** ISPyB `Protein`: matched by externalId, then (proposalId, acronym); owner is `personId`. */
export const ProteinEntity = defineEntity({
  name: 'Protein',
  tableName: 'Protein',
  properties: {
    proteinId: p.integer().unsigned().primary().autoincrement().fieldName('proteinId'),
    proposal: p.manyToOne(ProposalEntity).fieldName('proposalId'),
    name: p.string().length(255).nullable().fieldName('name'),
    acronym: p.string().length(45).nullable().fieldName('acronym'),
    description: p.text().nullable().fieldName('description'),
    hazardGroup: p.tinyint().unsigned().fieldName('hazardGroup'),
    containmentLevel: p.tinyint().unsigned().fieldName('containmentLevel'),
    safetyLevel: p.enum(['GREEN', 'YELLOW', 'RED']).nullable().fieldName('safetyLevel'),
    molecularMass: p.double().nullable().fieldName('molecularMass'),
    proteinType: p.string().length(45).nullable().fieldName('proteinType'),
    sequence: p.text().nullable().fieldName('sequence'),
    person: p.manyToOne(PersonEntity).nullable().fieldName('personId'),
    bltimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('bltimeStamp'),
    // ISPyB flags are tinyint(1) holding 0/1: mapped as integers (see stack.md, boolean trap)
    isCreatedBySampleSheet: p.tinyint().nullable().fieldName('isCreatedBySampleSheet'),
    externalId: p.type(Binary16Type).nullable().fieldName('externalId'),
    componentTypeId: p.integer().unsigned().nullable().fieldName('componentTypeId'),
    modId: p.string().length(20).nullable().fieldName('modId'),
    concentrationTypeId: p.integer().unsigned().nullable().fieldName('concentrationTypeId'),
    global: p.tinyint().nullable().fieldName('global'),
  },
});
