import type { TEntityResult } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import { resolveKeys } from './key-precedence.js';
import { type LookUp, lookUpIn } from './look-ups.js';
import { matchKey } from './match-key.js';
import type { PersonGroup } from './person-groups.js';
import type { LabPlan } from './sync-laboratories.js';

const TABLE = 'Person';
// login and externalId are the keys
const FIELDS = copiedFields('person', ['login', 'externalId']);

/**
 * Persons are matched by externalId, then login (database collation). On update every field present
 * is written, `login` too when the row was found by externalId; `passwd` is never written.
 * A person with a laboratory is linked to that laboratory's row (relinked when it changes).
 */
export function syncPersons(
  ctx: SyncContext,
  groups: PersonGroup[],
  labOf: Map<PersonGroup, LabPlan | null>,
  rows: Managed[],
): void {
  if (groups.length === 0) return;
  const resolved = resolveKeys(
    groups.map((g) => ({
      path: g.path,
      externalId: g.externalId === undefined ? undefined : encodeExternalId(g.externalId),
      legacy: g.login === undefined ? undefined : matchKey(g.login),
      label: `person ${g.login ?? g.externalId}`,
    })),
    rows,
    {
      table: TABLE,
      idColumn: 'personId',
      legacyOf: (row) => (row.login == null ? undefined : matchKey(row.login)),
      externalIdOf: (row) => row.externalId,
      sameExternalId: (row, entry) =>
        Buffer.isBuffer(row.externalId) && row.externalId.equals(entry.externalId as Buffer),
    },
    ctx.warn,
  );
  for (const [i, group] of groups.entries()) {
    const { row, by } = resolved[i]!;
    const wanted = wantedFields(ctx, group, labOf);
    if (row) {
      if (by === 'legacy') delete wanted.login; // found by login: the login is the key and stays
      Object.assign(row, wanted);
      group.entity = row;
    } else group.entity = create(ctx, 'persons', wanted);
    const entity = group.entity;
    track(ctx, {
      kind: 'persons',
      path: group.path,
      entity,
      key: () => keyOf(group),
      id: () => idOf(entity, 'personId'),
    });
  }
}

function wantedFields(
  ctx: SyncContext,
  group: PersonGroup,
  labOf: Map<PersonGroup, LabPlan | null>,
): Managed {
  const wanted = pickPresent(
    group.fields,
    FIELDS.filter((f) => ctx.has(TABLE, f)),
  );
  if (group.login !== undefined) wanted.login = group.login;
  if (group.externalId !== undefined) wanted.externalId = encodeExternalId(group.externalId);
  const lab = labOf.get(group);
  if (lab !== undefined) wanted.laboratory = lab === null ? null : lab.entity;
  return wanted;
}

/** The rows any of the payload's persons may resolve to: by externalId or login (database collation). */
export function personsLookUp(ctx: SyncContext, groups: PersonGroup[]): LookUp {
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
