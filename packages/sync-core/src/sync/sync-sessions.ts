import type { TSession } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import type { SyncContext } from './context.js';
import type { RowOf } from './kinds.js';
import { type LookUp, selectAny, selectWhere, type Where } from './look-ups.js';
import { type ProposalScope, proposalIds, proposalsElsewhere } from './proposal-row.js';
import { upsert } from './upsert.js';

/**
 * Sessions are upserted by the declared keys: externalId, then expSessionPk within the proposal.
 * Fields present are written; `comments` only on create (afterwards ISPyB's users own it);
 * `lastUpdate` is the payload's or now on create (never the zero date) and never NULL on update.
 * Datetimes are facility-local strings. Returns the managed BLSession of each payload session
 * (undefined: not synced), and which of them existed.
 */
export function syncSessions(
  ctx: SyncContext,
  proposal: RowOf<'proposal'>,
  sessions: TSession[],
  rows: RowOf<'sessions'>[],
): { entities: (RowOf<'sessions'> | undefined)[]; existing: Set<RowOf<'sessions'>> } {
  const entries = sessions.map((session, i) => ({
    path: `sessions[${i}]`,
    label: `session ${session.externalId ?? session.expSessionPk}`,
    payload: session,
  }));
  const hasComments = ctx.has('BLSession', 'comments');
  // UPSYNC_MISSING_COLUMNS=skip: a session whose only key (expSessionPk) has no column here comes
  // without any key: the upsert does not write it (it could never be found again; the parser warned)
  const entities = upsert(ctx, 'sessions', entries, rows, {
    own: ['lastUpdate', 'comments'],
    child: { proposalId: proposal.proposalId },
    set: ({ payload: s }, found) => {
      // MariaDB turns NULL into now() in this timestamp column: an explicit null is ignored
      if (found.row) return s.lastUpdate == null ? {} : { lastUpdate: s.lastUpdate };
      const comments = s.comments !== undefined && hasComments ? { comments: s.comments } : {};
      return { proposal, lastUpdate: s.lastUpdate ?? ctx.now(), ...comments };
    },
  });
  const found = new Set<unknown>(rows);
  return { entities, existing: new Set(entities.filter((s): s is RowOf<'sessions'> => found.has(s))) };
}

/**
 * The rows the payload's sessions may resolve to: by externalId anywhere, by expSessionPk in the
 * proposal the payload may resolve to (rows of a proposal it does not resolve to are never matched
 * by expSessionPk, see upsert's `child`).
 */
export function sessionsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
  sessions: TSession[],
): LookUp<'sessions'> | undefined {
  const { exts, pks } = sessionKeys(ctx, sessions);
  const branches: Where<'BLSession'>[] = [];
  if (exts.length > 0) branches.push((eb) => eb('externalId', 'in', exts));
  if (pks.length > 0)
    branches.push((eb) =>
      eb.and([eb('proposalId', 'in', proposalIds(ctx, scope)), eb('expSessionPk', 'in', pks)]),
    );
  const query = selectAny(ctx, 'sessions', branches);
  return query && { kind: 'sessions', queries: [query] };
}

/** The payload's session keys: externalIds (encoded) and expSessionPks (when the column exists). */
export function sessionKeys(ctx: SyncContext, sessions: TSession[]): { exts: Buffer[]; pks: number[] } {
  const exts = sessions.flatMap((s) => (s.externalId == null ? [] : [encodeExternalId(s.externalId)]));
  return { exts, pks: expSessionPks(ctx, sessions) };
}

function expSessionPks(ctx: SyncContext, sessions: TSession[]): number[] {
  if (!ctx.has('BLSession', 'expSessionPk')) return [];
  return sessions.flatMap((s) => (s.expSessionPk == null ? [] : [s.expSessionPk]));
}

/**
 * For rows found by externalId in another proposal than `proposal`, that proposal's rows with the
 * payload's expSessionPks (a session may take a key held there). Rare: undefined when there are none.
 */
export function sessionHoldersLookUp(
  ctx: SyncContext,
  proposal: RowOf<'proposal'> | undefined,
  sessions: TSession[],
  rows: RowOf<'sessions'>[],
): LookUp<'sessions'> | undefined {
  const pks = expSessionPks(ctx, sessions);
  const elsewhere = proposalsElsewhere(rows, proposal);
  if (elsewhere.length === 0 || pks.length === 0) return undefined;
  const query = selectWhere(ctx, 'sessions', (eb) =>
    eb.and([eb('proposalId', 'in', elsewhere), eb('expSessionPk', 'in', pks)]),
  );
  return { kind: 'sessions', queries: [query] };
}
