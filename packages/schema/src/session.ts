import * as z from 'zod';
import { keyFields } from './declaration.js';
import { payloadShape } from './declared-shapes.js';
import { atLeastOne, atLeastOneJson, entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';
import { createSessionPersonSchema } from './person.js';

// externalId and expSessionPk, as the declaration ranks them
const SESSION_KEYS = keyFields('session');

/** A session (scheduled visit on a beamline) with its participants. */
export function createSessionSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      ...payloadShape(f, 'session'),
      persons: z.array(createSessionPersonSchema(f, unknownKeys)).nullable().optional(),
    },
    unknownKeys,
  )
    .meta(atLeastOneJson(SESSION_KEYS))
    .check(atLeastOne(SESSION_KEYS, 'a session needs an externalId or an expSessionPk (or both)'))
    .transform(omitUndefined);
}
