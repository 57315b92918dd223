import type { TSession, TSessionPerson } from '@upsync/schema';
import { idOf, type SyncContext } from './context.js';
import { create, type RowOf } from './kinds.js';
import { type LookUp, selectWhere } from './look-ups.js';
import type { PayloadPerson, PersonGroup } from './person-groups.js';
import { type ProposalScope, proposalIds } from './proposal-row.js';
import { sessionKeys } from './sync-sessions.js';

type SyncedSession = { session: TSession; entity: RowOf<'sessions'> | undefined };

interface Participant {
  path: string;
  session: RowOf<'sessions'>;
  person: RowOf<'persons'>;
  options: TSessionPerson['session_options'];
}

/**
 * One Session_has_Person row per (session, person). On create role and remote come from
 * `session_options` (remote defaults to 0); afterwards they change only when the options carry them.
 * Reconcile mode deletes rows of the payload's sessions whose person is no longer listed.
 */
export function syncSessionParticipants(
  ctx: SyncContext,
  sessions: SyncedSession[],
  groupOf: Map<PayloadPerson, PersonGroup>,
  rows: RowOf<'sessionParticipants'>[],
): void {
  const wanted = participantsOf(sessions, groupOf);
  const existing = new Map<RowOf<'sessions'>, Map<RowOf<'persons'>, RowOf<'sessionParticipants'>>>();
  for (const row of rows)
    existing.set(row.session, (existing.get(row.session) ?? new Map()).set(row.person, row));
  for (const p of wanted) {
    let entity = existing.get(p.session)?.get(p.person);
    if (entity) {
      if (p.options?.role !== undefined) entity.role = p.options.role;
      if (p.options?.remote !== undefined) entity.remote = p.options.remote ?? 0;
    } else {
      entity = create(ctx, 'sessionParticipants', {
        session: p.session,
        person: p.person,
        role: p.options?.role ?? null,
        remote: p.options?.remote ?? 0,
      });
    }
    trackParticipant(ctx, p.path, entity);
  }
  if (!ctx.reconcile) return;
  for (const row of rows) {
    if (wanted.some((p) => p.session === row.session && p.person === row.person)) continue;
    ctx.em.remove(row);
    trackParticipant(ctx, '', row);
  }
}

function trackParticipant(ctx: SyncContext, path: string, entity: RowOf<'sessionParticipants'>): void {
  // ids read now for deleted rows (their entities are detached after the flush)
  const sessionId = idOf(entity.session.sessionId);
  const personId = idOf(entity.person.personId);
  ctx.tracked.push({
    kind: 'sessionParticipants',
    path,
    entity,
    key: () => ({
      sessionId: sessionId ?? idOf(entity.session.sessionId)!,
      personId: personId ?? idOf(entity.person.personId)!,
    }),
    id: () => personId ?? idOf(entity.person.personId),
  });
}

/**
 * The participant rows of the sessions in the proposal scope that have one of the payload's session
 * keys; syncAll keeps those of the sessions it resolved to. Not "of any session with the
 * payload's externalIds": without the optional index on `BLSession.externalId` MariaDB then scans
 * Session_has_Person and probes BLSession for every row (measured at N = 100,000: 85 ms). The
 * participants of a session found by externalId in another proposal: `participantsOfSessions`.
 */
export function sessionParticipantsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
  sessions: TSession[],
): LookUp<'sessionParticipants'> | undefined {
  const { exts, pks } = sessionKeys(ctx, sessions);
  if (exts.length === 0 && pks.length === 0) return undefined;
  const ids = ctx.sql
    .selectFrom('BLSession')
    .select('sessionId')
    .where((eb) =>
      eb.and([
        eb('proposalId', 'in', proposalIds(ctx, scope)),
        eb.or([
          ...(pks.length > 0 ? [eb('expSessionPk', 'in', pks)] : []),
          ...(exts.length > 0 ? [eb('externalId', 'in', exts)] : []),
        ]),
      ]),
    );
  return {
    kind: 'sessionParticipants',
    queries: [selectWhere(ctx, 'sessionParticipants', (eb) => eb('sessionId', 'in', ids))],
  };
}

/** The participant rows of `sessions` (found by externalId in another proposal; rare: undefined when none). */
export function participantsOfSessions(
  ctx: SyncContext,
  sessions: RowOf<'sessions'>[],
): LookUp<'sessionParticipants'> | undefined {
  if (sessions.length === 0) return undefined;
  const ids = sessions.map((s) => idOf(s.sessionId)!);
  return {
    kind: 'sessionParticipants',
    queries: [selectWhere(ctx, 'sessionParticipants', (eb) => eb('sessionId', 'in', ids))],
  };
}

function participantsOf(sessions: SyncedSession[], groupOf: Map<PayloadPerson, PersonGroup>): Participant[] {
  const seen = new Map<RowOf<'sessions'>, Set<RowOf<'persons'>>>();
  const out: Participant[] = [];
  sessions.forEach(({ session, entity }, i) => {
    if (!entity) return; // a session not synced (skip mode, see sync-sessions.ts)
    session.persons?.forEach((person, j) => {
      const personEntity = groupOf.get(person)!.entity!;
      const persons = seen.get(entity) ?? new Set();
      if (persons.has(personEntity)) return;
      seen.set(entity, persons.add(personEntity));
      out.push({
        path: `sessions[${i}].persons[${j}]`,
        session: entity,
        person: personEntity,
        options: person.session_options,
      });
    });
  });
  return out;
}
