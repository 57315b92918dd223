import type { TEntityResult } from '@upsync/schema';
import { marks, q, type Row } from '../db/gateway.js';
import type { PersonGroup } from './collect-persons.js';
import { entityResult, outcomeOf, type SyncContext } from './context.js';
import type { PersonIn, SessionIn } from './input.js';
import { changedColumns } from './patch.js';
import type { ProposalScope } from './proposal-scope.js';
import { stepFailure } from './run-step.js';

const TABLE = 'Session_has_Person';

interface Participant {
  path: string;
  sessionId: number;
  personId: number;
  options: PersonIn['session_options'];
}

/**
 * One Session_has_Person row per (session, person). On create role and remote come from
 * `session_options` (remote defaults to 0); afterwards they change only when the options carry them.
 * Reconcile mode deletes rows of the payload's sessions whose person is no longer listed.
 */
export async function syncSessionParticipants(
  ctx: SyncContext,
  sessions: { session: SessionIn; id: number }[],
  groupOf: Map<PersonIn, PersonGroup>,
  scopeRows: Row[],
  newSessionIds: ReadonlySet<number>,
): Promise<TEntityResult[]> {
  const wanted = participantsOf(sessions, groupOf);
  if (sessions.length === 0) return [];
  const rows = await participantRows(ctx, sessions, scopeRows, newSessionIds);
  const existing = new Map(rows.map((r) => [`${r.sessionId}:${r.personId}`, r]));
  const results: TEntityResult[] = [];
  const toCreate: Participant[] = [];
  for (const p of wanted) {
    const row = existing.get(`${p.sessionId}:${p.personId}`);
    if (!row) {
      toCreate.push(p);
      continue;
    }
    const changed = changedColumns(row, optionColumns(p.options));
    ctx.db.updateLater(
      TABLE,
      { sessionId: p.sessionId, personId: p.personId },
      changed,
      stepFailure('sessionParticipants', p.path),
    );
    results.push(entityResult(p.path, keyOf(p), p.personId, { outcome: outcomeOf(changed), changed }));
  }
  // nothing reads these rows' ids: sent with the next round trip (COMMIT's)
  ctx.db.insertLater(
    TABLE,
    toCreate.map((p) => ({
      sessionId: p.sessionId,
      personId: p.personId,
      role: p.options?.role ?? null,
      remote: p.options?.remote ?? 0,
    })),
    stepFailure('sessionParticipants', 'sessions'),
  );
  const dropped = ctx.reconcile ? removeDropped(ctx, rows, wanted) : [];
  for (const p of toCreate) results.push(entityResult(p.path, keyOf(p), p.personId, { outcome: 'created' }));
  results.push(...dropped);
  return results;
}

/**
 * The participants of the sessions in `scope`, with one row per session even when it has none
 * (`personId` NULL), so that the sessions it covers are known.
 */
export async function findSessionParticipants(ctx: SyncContext, scope: ProposalScope): Promise<Row[]> {
  return ctx.db.select(
    `SELECT s.${q('sessionId')}, p.${q('personId')}, p.${q('role')}, p.${q('remote')} FROM ${q('BLSession')} s LEFT JOIN ${q(TABLE)} p ON p.${q('sessionId')} = s.${q('sessionId')} WHERE s.${q('proposalId')} IN (${scope.sql})`,
    scope.params,
  );
}

/**
 * The existing participant rows of the payload's sessions: from the scoped look-up, plus a look-up
 * of sessions it did not cover (found by externalId in another proposal); new sessions have none.
 */
async function participantRows(
  ctx: SyncContext,
  sessions: { id: number }[],
  scopeRows: Row[],
  newSessionIds: ReadonlySet<number>,
): Promise<Row[]> {
  const ids = new Set(sessions.map((s) => s.id).filter((id) => id !== undefined && !newSessionIds.has(id)));
  const covered = new Set(scopeRows.map((r) => Number(r.sessionId)));
  const missing = [...ids].filter((id) => !covered.has(id));
  const more =
    missing.length === 0
      ? []
      : await ctx.db.select(
          `SELECT ${q('sessionId')}, ${q('personId')}, ${q('role')}, ${q('remote')} FROM ${q(TABLE)} WHERE ${q('sessionId')} IN (${marks(missing.length)})`,
          missing,
        );
  return [...scopeRows, ...more].filter((r) => r.personId != null && ids.has(Number(r.sessionId)));
}

function participantsOf(
  sessions: { session: SessionIn; id: number }[],
  groupOf: Map<PersonIn, PersonGroup>,
): Participant[] {
  const seen = new Set<string>();
  const out: Participant[] = [];
  sessions.forEach(({ session, id }, i) => {
    if (id === undefined) return; // a session not synced (skip mode, see sync-sessions.ts)
    session.persons?.forEach((person, j) => {
      const personId = groupOf.get(person)!.id!;
      if (seen.has(`${id}:${personId}`)) return;
      seen.add(`${id}:${personId}`);
      out.push({
        path: `sessions[${i}].persons[${j}]`,
        sessionId: id,
        personId,
        options: person.session_options,
      });
    });
  });
  return out;
}

function optionColumns(options: PersonIn['session_options']): Row {
  const out: Row = {};
  if (options?.role !== undefined) out.role = options.role;
  if (options?.remote !== undefined) out.remote = options.remote ?? 0;
  return out;
}

function removeDropped(ctx: SyncContext, rows: Row[], wanted: Participant[]): TEntityResult[] {
  const keep = new Set(wanted.map((p) => `${p.sessionId}:${p.personId}`));
  const dropped = rows.filter((r) => !keep.has(`${r.sessionId}:${r.personId}`));
  if (dropped.length === 0) return [];
  const cond = dropped.map(() => `(${q('sessionId')} = ? AND ${q('personId')} = ?)`).join(' OR ');
  ctx.db.deleteLater(
    `DELETE FROM ${q(TABLE)} WHERE ${cond}`,
    dropped.flatMap((r) => [r.sessionId, r.personId]),
    stepFailure('sessionParticipants', 'sessions'),
  );
  return dropped.map((r) =>
    entityResult('', { sessionId: Number(r.sessionId), personId: Number(r.personId) }, Number(r.personId), {
      outcome: 'deleted',
    }),
  );
}

function keyOf(p: Participant): TEntityResult['key'] {
  return { sessionId: p.sessionId, personId: p.personId };
}
