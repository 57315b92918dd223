import * as z from 'zod';
import { atLeastOne, atLeastOneJson, entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { FIELD_COLUMNS } from './field-columns.js';
import { datetime, type FieldFactory, flag, float, integer, text } from './fields.js';
import { INT_SIGNED, INT_UNSIGNED } from './numbers.js';
import { createSessionPersonSchema } from './person.js';

const c = FIELD_COLUMNS.session;
const SESSION_KEYS = ['externalId', 'expSessionPk'] as const;

/** A session (scheduled visit on a beamline) with its participants. */
export function createSessionSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  const dt = datetime(f.clock);
  return entityObject(
    {
      externalId: f.externalId(c.externalId),
      expSessionPk: f.opt(integer(INT_UNSIGNED), c.expSessionPk),
      startDate: f.opt(dt, c.startDate),
      endDate: f.opt(dt, c.endDate),
      // NOT NULL: MariaDB would silently turn NULL into now().
      lastUpdate: f.optNotNull(dt, c.lastUpdate),
      beamLineName: f.opt(text(), c.beamLineName),
      beamLineOperator: f.opt(text(), c.beamLineOperator),
      scheduled: f.opt(flag(), c.scheduled),
      nbShifts: f.opt(integer(INT_UNSIGNED), c.nbShifts),
      visit_number: f.opt(integer(INT_UNSIGNED), c.visit_number),
      usedFlag: f.opt(flag(), c.usedFlag),
      sessionTitle: f.opt(text(), c.sessionTitle),
      projectCode: f.opt(text(), c.projectCode),
      operatorSiteNumber: f.opt(text(), c.operatorSiteNumber),
      protectedData: f.opt(text(), c.protectedData),
      structureDeterminations: f.opt(float(), c.structureDeterminations),
      dewarTransport: f.opt(float(), c.dewarTransport),
      databackupFrance: f.opt(float(), c.databackupFrance),
      databackupEurope: f.opt(float(), c.databackupEurope),
      nbReimbDewars: f.opt(integer(INT_SIGNED), c.nbReimbDewars),
      comments: f.opt(text(), c.comments),
      persons: z.array(createSessionPersonSchema(f, unknownKeys)).nullable().optional(),
    },
    unknownKeys,
  )
    .meta(atLeastOneJson(SESSION_KEYS))
    .check(atLeastOne(SESSION_KEYS, 'a session needs an externalId or an expSessionPk (or both)'))
    .transform(omitUndefined);
}
