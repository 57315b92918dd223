import * as z from 'zod';
import { payloadShape } from './declared-shapes.js';
import { atLeastOne, atLeastOneJson, entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import type { FieldFactory } from './fields.js';
import { createSessionPersonSchema } from './person.js';

const SESSION_KEYS = ['externalId', 'expSessionPk'] as const;

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
