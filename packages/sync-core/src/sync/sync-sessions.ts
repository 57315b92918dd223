import type { TEntityResult } from '@upsync/schema';
import { joined, marks, q, type Row } from '../db/gateway.js';
import { encodeExternalId } from '../external-id.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import { copiedFields } from './copied-fields.js';
import type { SessionIn } from './input.js';
import { resolveChildKeys } from './key-precedence.js';
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
  const entries = sessions.map((s, i) => ({
    path: `sessions[${i}]`,
    externalId: s.externalId == null ? undefined : encodeExternalId(s.externalId),
    legacy: s.expSessionPk == null || !hasPk ? undefined : String(s.expSessionPk),
    label: `session ${s.externalId ?? s.expSessionPk}`,
  }));
  const resolved = resolveChildKeys(
    entries,
    rows,
    {
      table: TABLE,
      idColumn: 'sessionId',
      proposalId,
      keyOf: (row) => (row.expSessionPk == null ? undefined : String(row.expSessionPk)),
    },
    ctx.warn,
  );
  const ids = new Array<number>(sessions.length);
  const results: TEntityResult[] = [];
  const toCreate: { index: number; row: Row }[] = [];
  for (const [i, session] of sessions.entries()) {
    // UPSYNC_MISSING_COLUMNS=skip: a session whose only key (expSessionPk) has no column here comes
    // without any key; it could never be found again, so it is not written (the parser warned)
    if (session.externalId == null && session.expSessionPk == null) continue;
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
  const names = ['sessionId', 'proposalId', 'externalId', 'lastUpdate', ...ctx.db.present(TABLE, FIELDS)];
  const cols = names.map(q).join(', ');
  const exts = sessions.flatMap((s) => (s.externalId == null ? [] : [encodeExternalId(s.externalId)]));
  const pks = hasPk ? sessions.flatMap((s) => (s.expSessionPk == null ? [] : [s.expSessionPk])) : [];
  const parts: string[] = [];
  const params: unknown[] = [];
  if (exts.length > 0) {
    // the rows with the payload's externalIds, and the rows of their proposals with its
    // expSessionPks (a session found in another proposal may take a pk held there)
    const samePk = pks.length > 0 ? ` OR s2.${q('expSessionPk')} IN (${marks(pks.length)})` : '';
    parts.push(
      `SELECT DISTINCT ${joined('s2', names)} FROM ${q(TABLE)} s1 JOIN ${q(TABLE)} s2 ON s2.${q('proposalId')} = s1.${q('proposalId')} ` +
        `WHERE s1.${q('externalId')} IN (${marks(exts.length)}) AND (s2.${q('sessionId')} = s1.${q('sessionId')}${samePk})`,
    );
    params.push(...exts, ...pks);
  }
  if (pks.length > 0) {
    parts.push(
      `SELECT ${cols} FROM ${q(TABLE)} WHERE ${q('proposalId')} IN (${scope.sql}) AND ${q('expSessionPk')} IN (${marks(pks.length)})`,
    );
    params.push(...scope.params, ...pks);
  }
  if (parts.length === 0) return [];
  return ctx.db.selectUnion(parts, params, 'sessionId');
}

function keyOf(session: SessionIn): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  if (session.externalId != null) key.externalId = session.externalId;
  if (session.expSessionPk != null) key.expSessionPk = session.expSessionPk;
  return key;
}
