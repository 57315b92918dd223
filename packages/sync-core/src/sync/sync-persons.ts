import type { TEntityResult } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import type { SyncContext } from './context.js';
import type { RowOf } from './kinds.js';
import { type LookUp, lookUpIn } from './look-ups.js';
import type { PersonGroup } from './person-groups.js';
import type { LabPlan } from './sync-laboratories.js';
import { upsert } from './upsert.js';

/**
 * Persons (one per identity group of the payload, person-groups.ts) are upserted by the declared
 * keys: externalId, then login (database collation); a login is rewritten only when the row was
 * found by externalId, and a null login is never written (it is an identity key); `passwd` is never
 * written. A person with a laboratory is linked to that laboratory's row (relinked when it changes).
 */
export function syncPersons(
  ctx: SyncContext,
  groups: PersonGroup[],
  labOf: Map<PersonGroup, LabPlan | null>,
  rows: RowOf<'persons'>[],
): void {
  const entries = groups.map((group) => ({
    path: group.path,
    label: `person ${group.login ?? group.externalId}`,
    payload: group.fields,
    key: () => keyOf(group),
    group,
  }));
  const entities = upsert(ctx, 'persons', entries, rows, {
    set: ({ group }, found) => {
      const lab = labOf.get(group);
      return {
        ...(group.login === undefined || found.by === 'legacy' ? {} : { login: group.login }),
        ...(lab === undefined ? {} : { laboratory: lab === null ? null : lab.entity! }),
      };
    },
    own: ['login'],
  });
  groups.forEach((group, i) => {
    group.entity = entities[i];
  });
}

/** The rows any of the payload's persons may resolve to: by externalId or login (database collation). */
export function personsLookUp(ctx: SyncContext, groups: PersonGroup[]): LookUp<'persons'> {
  return lookUpIn(ctx, 'persons', groups, (chunk) => {
    const exts = chunk.flatMap((g) => (g.externalId === undefined ? [] : [encodeExternalId(g.externalId)]));
    const logins = chunk.flatMap((g) => (g.login === undefined ? [] : [g.login]));
    if (exts.length === 0 && logins.length === 0) return undefined;
    return (eb) =>
      eb.or([
        ...(exts.length > 0 ? [eb('externalId', 'in', exts)] : []),
        ...(logins.length > 0 ? [eb('login', 'in', logins)] : []),
      ]);
  });
}

function keyOf(group: PersonGroup): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  if (group.externalId !== undefined) key.externalId = group.externalId;
  if (group.login !== undefined) key.login = group.login;
  return key;
}
