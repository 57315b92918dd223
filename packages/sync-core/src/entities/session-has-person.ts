import { defineEntity, p } from '@mikro-orm/core';
import { BLSessionEntity } from './bl-session.js';
import { PersonEntity } from './person.js';

/** ISPyB `Session_has_Person`: composite primary key (sessionId, personId). */
export const SessionHasPersonEntity = defineEntity({
  name: 'Session_has_Person',
  tableName: 'Session_has_Person',
  properties: {
    session: p.manyToOne(BLSessionEntity).primary().fieldName('sessionId'),
    person: p.manyToOne(PersonEntity).primary().fieldName('personId'),
    role: p
      .enum([
        'Local Contact',
        'Local Contact 2',
        'Staff',
        'Team Leader',
        'Co-Investigator',
        'Principal Investigator',
        'Alternate Contact',
      ])
      .nullable()
      .fieldName('role'),
    remote: p.tinyint().nullable().fieldName('remote'),
  },
  primaryKeys: ['session', 'person'],
});
