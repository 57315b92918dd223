import type { TEntityResult } from '@upsync/schema';
import { q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import { resolveKeys } from './key-precedence.js';
import { matchKey } from './match-key.js';
import { changedColumns, pickPresent } from './patch.js';
import { stepFailure } from './run-step.js';
import type { LabPlan } from './sync-laboratories.js';

const TABLE = 'Person';
// login and externalId are the keys
const FIELDS = copiedFields('person', ['login', 'externalId']);

/**
 * Persons are matched by externalId, then login (database collation). On update every field present
 * is written, `login` too when the row was found by externalId; `passwd` is never written.
 * A person with a laboratory is linked to that laboratory's row (relinked when it changes).
 */
export async function syncPersons(
  ctx: SyncContext,
  groups: PersonGroup[],
  labOf: Map<PersonGroup, LabPlan | null>,
  rows: Row[],
): Promise<TEntityResult[]> {
  if (groups.length === 0) return [];
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
  const results: TEntityResult[] = [];
  const toCreate: PersonGroup[] = [];
  for (const [i, group] of groups.entries()) {
    const { row, by } = resolved[i]!;
    if (!row) {
      toCreate.push(group);
      continue;
    }
    group.id = Number(row.personId);
    const wanted = wantedColumns(ctx, group, labOf);
    if (by === 'legacy') delete wanted.login; // found by login: the login is the key and stays
    const changed = changedColumns(row, wanted);
    ctx.db.updateLater(TABLE, { personId: group.id }, changed, stepFailure('persons', group.path));
    results.push(entityResult(group.path, keyOf(group), group.id, { outcome: outcomeOf(changed), changed }));
  }
  const ids = ctx.db.insertNew(
    TABLE,
    'personId',
    toCreate.map((g) => wantedColumns(ctx, g, labOf)),
    stepFailure('persons', 'proposal.persons'),
  );
  toCreate.forEach((group, i) => {
    group.id = ids[i]!;
    results.push(entityResult(group.path, keyOf(group), group.id, { outcome: 'created' }));
  });
  return results;
}

function wantedColumns(ctx: SyncContext, group: PersonGroup, labOf: Map<PersonGroup, LabPlan | null>): Row {
  const wanted = pickPresent(group.fields, ctx.db.present(TABLE, FIELDS));
  if (group.login !== undefined) wanted.login = group.login;
  if (group.externalId !== undefined) wanted.externalId = encodeExternalId(group.externalId);
  const lab = labOf.get(group);
  if (lab !== undefined) wanted.laboratoryId = lab === null ? null : lab.id;
  return wanted;
}

/** The rows any of the payload's persons may resolve to. */
export async function findPersons(ctx: SyncContext, groups: PersonGroup[]): Promise<Row[]> {
  if (groups.length === 0) return [];
  const cols = ['personId', 'login', 'externalId', 'laboratoryId', ...ctx.db.present(TABLE, FIELDS)]
    .map(q)
    .join(', ');
  const exts = groups.flatMap((g) => (g.externalId === undefined ? [] : [encodeExternalId(g.externalId)]));
  const logins = groups.flatMap((g) => (g.login === undefined ? [] : [g.login]));
  const parts: string[] = [];
  if (exts.length > 0)
    parts.push(
      `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('externalId')} IN (${exts.map(() => '?').join(', ')})`,
    );
  if (logins.length > 0)
    parts.push(
      `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('login')} IN (${logins.map(() => '?').join(', ')})`,
    );
  return ctx.db.selectUnion(parts, [...exts, ...logins], 'personId');
}

function keyOf(group: PersonGroup): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  if (group.externalId !== undefined) key.externalId = group.externalId;
  if (group.login !== undefined) key.login = group.login;
  return key;
}
