import { keyFields } from './declaration.js';
import { payloadShape } from './declared-shapes.js';
import { atLeastOne, atLeastOneJson, entityObject, omitUndefined, type UnknownKeys } from './entity.js';
import { converting, type FieldFactory, raise } from './fields.js';
import { createLaboratorySchema } from './laboratory.js';

/** `passwd`: only `null` is accepted (py-ISPyB compatibility), and it is dropped. */
function passwdField() {
  const schema = converting<null, undefined>((value, payload) => {
    if (value === null || value === undefined) return undefined;
    return raise(
      payload,
      'password_refused',
      'a portal must not push passwords: ISPyB authentication is not the portal sync’s job, so passwd must be null or absent',
    );
  });
  schema._zod.toJSONSchema = () => ({
    type: 'null',
    description: 'Refused unless null: portals must not push passwords.',
  });
  return schema.optional();
}

function personShape(f: FieldFactory, unknownKeys: UnknownKeys) {
  return {
    ...payloadShape(f, 'person'),
    laboratory: createLaboratorySchema(f, unknownKeys).nullable().optional(),
    passwd: passwdField(),
  };
}

// login and externalId, as the declaration ranks them
const IDENTITY = keyFields('person');
const needsIdentity = atLeastOne(IDENTITY, 'a person needs a login or an externalId (or both)');

/** Drops `passwd` (always null here) and absent fields. */
function clean<T extends { passwd?: undefined }>(person: T): Omit<T, 'passwd'> {
  // passwd is undefined whenever it is present (anything else is refused), so it goes with the rest.
  return omitUndefined(person);
}

/** A person of `proposal.persons`, `labcontacts[].person` or `proteins[].person`. */
export function createPersonSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(personShape(f, unknownKeys), unknownKeys)
    .meta(atLeastOneJson(IDENTITY))
    .check(needsIdentity)
    .transform(clean);
}

/** The role and remote flag of a person in one session (Session_has_Person). */
export function createSessionOptionsSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(payloadShape(f, 'sessionOptions'), unknownKeys).transform(omitUndefined);
}

/** A person of `sessions[].persons`: a person plus `session_options`. */
export function createSessionPersonSchema(f: FieldFactory, unknownKeys: UnknownKeys) {
  return entityObject(
    {
      ...personShape(f, unknownKeys),
      session_options: createSessionOptionsSchema(f, unknownKeys).nullable().optional(),
    },
    unknownKeys,
  )
    .meta(atLeastOneJson(IDENTITY))
    .check(needsIdentity)
    .transform(clean);
}
