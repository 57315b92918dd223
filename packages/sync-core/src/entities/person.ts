import { defineEntity, p } from '@mikro-orm/core';
import { Binary16Type } from './binary16-type.js';
import { LaboratoryEntity } from './laboratory.js';
import { LocalDatetimeType } from './local-datetime-type.js';

/** ISPyB `Person`: matched by externalId, then login. `passwd` is mapped but never written. */
export const PersonEntity = defineEntity({
  name: 'Person',
  tableName: 'Person',
  properties: {
    personId: p.integer().unsigned().primary().autoincrement().fieldName('personId'),
    laboratory: p.manyToOne(LaboratoryEntity).nullable().fieldName('laboratoryId'),
    siteId: p.integer().nullable().fieldName('siteId'),
    personUUID: p.string().length(45).nullable().fieldName('personUUID'),
    familyName: p.string().length(100).nullable().fieldName('familyName'),
    givenName: p.string().length(45).nullable().fieldName('givenName'),
    title: p.string().length(45).nullable().fieldName('title'),
    emailAddress: p.string().length(60).nullable().fieldName('emailAddress'),
    phoneNumber: p.string().length(45).nullable().fieldName('phoneNumber'),
    login: p.string().length(45).nullable().fieldName('login'),
    passwd: p.string().length(45).nullable().hidden().fieldName('passwd'),
    faxNumber: p.string().length(45).nullable().fieldName('faxNumber'),
    recordTimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('recordTimeStamp'),
    externalId: p.type(Binary16Type).nullable().fieldName('externalId'),
    cache: p.text().nullable().fieldName('cache'),
  },
});
