import { defineEntity, p } from '@mikro-orm/core';
import { DEFAULT_COLUMN_LIMITS } from '@upsync/schema';
import { BLSessionEntity } from './bl-session.js';
import { PersonEntity } from './person.js';

const SESSION_ROLES = DEFAULT_COLUMN_LIMITS.Session_has_Person?.role?.enumValues ?? [];

/** ISPyB `Session_has_Person`: composite primary key (sessionId, personId). */
export const SessionHasPersonEntity = defineEntity({
  name: 'Session_has_Person',
  tableName: 'Session_has_Person',
  properties: {
    session: p.manyToOne(BLSessionEntity).primary().fieldName('sessionId'),
    person: p.manyToOne(PersonEntity).primary().fieldName('personId'),
    // the official schema's values (live databases may have more; validation reads those)
    role: p
      .enum([...SESSION_ROLES])
      .nullable()
      .fieldName('role'),
    remote: p.tinyint().nullable().fieldName('remote'),
  },
  primaryKeys: ['session', 'person'],
});
