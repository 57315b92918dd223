import { defineEntity, p } from '@mikro-orm/core';
import { LocalDatetimeType } from './local-datetime-type.js';

/** ISPyB `Laboratory`: shared by many persons; matched by laboratoryExtPk, then (name, city, country). */
export const LaboratoryEntity = defineEntity({
  name: 'Laboratory',
  tableName: 'Laboratory',
  properties: {
    laboratoryId: p.integer().unsigned().primary().autoincrement().fieldName('laboratoryId'),
    laboratoryUUID: p.string().length(45).nullable().fieldName('laboratoryUUID'),
    name: p.string().length(45).nullable().fieldName('name'),
    address: p.string().length(255).nullable().fieldName('address'),
    city: p.string().length(45).nullable().fieldName('city'),
    country: p.string().length(45).nullable().fieldName('country'),
    url: p.string().length(255).nullable().fieldName('url'),
    organization: p.string().length(45).nullable().fieldName('organization'),
    recordTimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('recordTimeStamp'),
    laboratoryExtPk: p.integer().nullable().fieldName('laboratoryExtPk'),
  },
});
