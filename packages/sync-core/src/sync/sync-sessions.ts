import type { TEntityResult } from '@upsync/schema';
import { marks, q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { SessionIn } from './input.js';
import { resolveKeys } from './key-precedence.js';
import { changedColumns, pickPresent } from './patch.js';
import type { ProposalScope } from './proposal-scope.js';
import { stepFailure } from './run-step.js';

const TABLE = 'BLSession';
// externalId is the key; lastUpdate and comments have rules of their own
const FIELDS = copiedFields('session', ['externalId', 'lastUpdate', 'comments']);

/**
 * Sessions are matched by externalId, then (proposalId, expSessionPk). Fields present are written;
 * `comments` only on create (afterwards ISPyB's users own it); `lastUpdate` is the payload's or
 * now on create (never the zero date) and never NULL on update. Datetimes are facility-local strings.
 */
export async function syncSessions(
  ctx: SyncContext,
  proposalId: number,
  sessions: SessionIn[],
  rows: Row[],
): Promise<{ ids: number[]; results: TEntityResult[] }> {
  if (sessions.length === 0) return { ids: [], results: [] };
  const hasPk = ctx.db.has(TABLE, 'expSessionPk');
  const resolved = resolveKeys(
    sessions.map((s, i) => ({
      path: `sessions[${i}]`,
      externalId: s.externalId == null ? undefined : encodeExternalId(s.externalId),
      legacy: s.expSessionPk == null || !hasPk ? undefined : String(s.expSessionPk),
      label: `session ${s.externalId ?? s.expSessionPk}`,
    })),
    rows,
    {
      table: TABLE,
      idColumn: 'sessionId',
      legacyOf: (row) =>
        Number(row.proposalId) === proposalId && row.expSessionPk != null
          ? String(row.expSessionPk)
          : undefined,
      externalIdOf: (row) => row.externalId,
      sameExternalId: (row, entry) =>
        Buffer.isBuffer(row.externalId) && row.externalId.equals(entry.externalId as Buffer),
    },
    ctx.warn,
  );
  const ids = new Array<number>(sessions.length);
  const results: TEntityResult[] = [];
  const toCreate: { index: number; row: Row }[] = [];
  for (const [i, session] of sessions.entries()) {
    const wanted = wantedColumns(ctx, session);
    const { row } = resolved[i]!;
    if (!row) {
      const created: Row = { ...wanted, proposalId, lastUpdate: session.lastUpdate ?? ctx.now };
      if (session.comments !== undefined && ctx.db.has(TABLE, 'comments'))
        created.comments = session.comments;
      toCreate.push({ index: i, row: created });
      continue;
    }
    // MariaDB turns NULL into now() in this timestamp column: an explicit null is ignored
    if (session.lastUpdate != null) wanted.lastUpdate = session.lastUpdate;
    const changed = changedColumns(row, wanted);
    ids[i] = Number(row.sessionId);
    ctx.db.updateLater(TABLE, { sessionId: ids[i] }, changed, stepFailure('sessions', `sessions[${i}]`));
    results.push(
      entityResult(`sessions[${i}]`, keyOf(session), ids[i]!, { outcome: outcomeOf(changed), changed }),
    );
  }
  const newIds = ctx.db.insertNew(
    TABLE,
    'sessionId',
    toCreate.map((c) => c.row),
    stepFailure('sessions', 'sessions'),
  );
  toCreate.forEach((c, j) => {
    ids[c.index] = newIds[j]!;
    results.push(
      entityResult(`sessions[${c.index}]`, keyOf(sessions[c.index]!), newIds[j]!, { outcome: 'created' }),
    );
  });
  return { ids, results };
}

function wantedColumns(ctx: SyncContext, session: SessionIn): Row {
  const wanted = pickPresent(session, ctx.db.present(TABLE, FIELDS));
  if (session.externalId != null) wanted.externalId = encodeExternalId(session.externalId);
  return wanted;
}

/** The rows the payload's sessions may resolve to: by externalId anywhere, by expSessionPk in `scope`. */
export async function findSessions(
  ctx: SyncContext,
  scope: ProposalScope,
  sessions: SessionIn[],
): Promise<Row[]> {
  if (sessions.length === 0) return [];
  const hasPk = ctx.db.has(TABLE, 'expSessionPk');
  const cols = ['sessionId', 'proposalId', 'externalId', 'lastUpdate', ...ctx.db.present(TABLE, FIELDS)]
    .map(q)
    .join(', ');
  const exts = sessions.flatMap((s) => (s.externalId == null ? [] : [encodeExternalId(s.externalId)]));
  const pks = hasPk ? sessions.flatMap((s) => (s.expSessionPk == null ? [] : [s.expSessionPk])) : [];
  const parts: string[] = [];
  if (exts.length > 0)
    parts.push(`SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('externalId')} IN (${marks(exts.length)})`);
  if (pks.length > 0) {
    parts.push(
      `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('proposalId')} IN (${scope.sql}) AND ${q('expSessionPk')} IN (${marks(pks.length)})`,
    );
  }
  if (parts.length === 0) return [];
  return ctx.db.selectUnion(
    parts,
    [...exts, ...(pks.length > 0 ? [...scope.params, ...pks] : [])],
    'sessionId',
  );
}

function keyOf(session: SessionIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  if (session.externalId != null) key.externalId = session.externalId;
  if (session.expSessionPk != null) key.expSessionPk = session.expSessionPk;
  return key;
}
