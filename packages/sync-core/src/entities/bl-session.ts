import { defineEntity, p } from '@mikro-orm/core';
import { Binary16Type } from './binary16-type.js';
import { LocalDatetimeType } from './local-datetime-type.js';
import { ProposalEntity } from './proposal.js';

/** ISPyB `BLSession`: matched by externalId, then (proposalId, expSessionPk). Datetimes stay facility-local strings. */
export const BLSessionEntity = defineEntity({
  name: 'BLSession',
  tableName: 'BLSession',
  properties: {
    sessionId: p.integer().unsigned().primary().autoincrement().fieldName('sessionId'),
    expSessionPk: p.integer().unsigned().nullable().fieldName('expSessionPk'),
    beamLineSetupId: p.integer().unsigned().nullable().fieldName('beamLineSetupId'),
    proposal: p.manyToOne(ProposalEntity).fieldName('proposalId'),
    projectCode: p.string().length(45).nullable().fieldName('projectCode'),
    // 'YYYY-MM-DD HH:mm:ss' strings: no JS Date, so no time-zone shifting
    startDate: p.type(LocalDatetimeType).columnType('datetime').nullable().fieldName('startDate'),
    endDate: p.type(LocalDatetimeType).columnType('datetime').nullable().fieldName('endDate'),
    beamLineName: p.string().length(45).nullable().fieldName('beamLineName'),
    scheduled: p.tinyint().nullable().fieldName('scheduled'),
    nbShifts: p.integer().unsigned().nullable().fieldName('nbShifts'),
    comments: p.string().length(2000).nullable().fieldName('comments'),
    beamLineOperator: p.string().length(255).nullable().fieldName('beamLineOperator'),
    visit_number: p.integer().unsigned().nullable().fieldName('visit_number'),
    bltimeStamp: p.type(LocalDatetimeType).columnType('timestamp').fieldName('bltimeStamp'),
    usedFlag: p.tinyint().nullable().fieldName('usedFlag'),
    sessionTitle: p.string().length(255).nullable().fieldName('sessionTitle'),
    structureDeterminations: p.float().nullable().fieldName('structureDeterminations'),
    dewarTransport: p.float().nullable().fieldName('dewarTransport'),
    databackupFrance: p.float().nullable().fieldName('databackupFrance'),
    databackupEurope: p.float().nullable().fieldName('databackupEurope'),
    operatorSiteNumber: p.string().length(10).nullable().fieldName('operatorSiteNumber'),
    lastUpdate: p.type(LocalDatetimeType).columnType('timestamp').fieldName('lastUpdate'),
    protectedData: p.string().length(1024).nullable().fieldName('protectedData'),
    externalId: p.type(Binary16Type).nullable().fieldName('externalId'),
    nbReimbDewars: p.integer().nullable().fieldName('nbReimbDewars'),
  },
});
