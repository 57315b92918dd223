import type { TEntityResult, TSession } from '@upsync/schema';
import { encodeExternalId } from '../external-id.js';
import { idOf, type Managed, pickPresent, type SyncContext, track } from './context.js';
import { copiedFields } from './copied-fields.js';
import { create } from './entities.js';
import { resolveChildKeys } from './key-precedence.js';
import { type LookUp, selectAny, selectWhere, type Where } from './look-ups.js';
import { type ProposalScope, proposalIds, proposalsElsewhere } from './sync-proposal.js';

const TABLE = 'BLSession';
// externalId is the key; lastUpdate and comments have rules of their own
const FIELDS = copiedFields('session', ['externalId', 'lastUpdate', 'comments']);

/**
 * Sessions are matched by externalId, then (proposalId, expSessionPk). Fields present are written;
 * `comments` only on create (afterwards ISPyB's users own it); `lastUpdate` is the payload's or
 * now on create (never the zero date) and never NULL on update. Datetimes are facility-local
 * strings. Returns the managed BLSession of each payload session (undefined: not synced), and
 * which of them existed.
 */
export function syncSessions(
  ctx: SyncContext,
  proposal: Managed,
  sessions: TSession[],
  rows: Managed[],
): { entities: (Managed | undefined)[]; existing: Set<Managed> } {
  const existing = new Set<Managed>();
  if (sessions.length === 0) return { entities: [], existing };
  const hasPk = ctx.has(TABLE, 'expSessionPk');
  const resolved = resolveChildKeys(
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
      proposalId: idOf(proposal, 'proposalId') ?? undefined,
      keyOf: (row) => (row.expSessionPk == null ? undefined : String(row.expSessionPk)),
    },
    ctx.warn,
  );
  const fields = FIELDS.filter((f) => ctx.has(TABLE, f));
  const entities = sessions.map((session, i): Managed | undefined => {
    // UPSYNC_MISSING_COLUMNS=skip: a session whose only key (expSessionPk) has no column here comes
    // without any key; it could never be found again, so it is not written (the parser warned)
    if (session.externalId == null && session.expSessionPk == null) return undefined;
    const wanted = pickPresent(session, fields);
    if (session.externalId != null) wanted.externalId = encodeExternalId(session.externalId);
    const { row } = resolved[i]!;
    let entity: Managed;
    if (row) {
      // MariaDB turns NULL into now() in this timestamp column: an explicit null is ignored
      if (session.lastUpdate != null) wanted.lastUpdate = session.lastUpdate;
      entity = Object.assign(row, wanted);
      existing.add(entity);
    } else {
      const created: Managed = { ...wanted, proposal, lastUpdate: session.lastUpdate ?? ctx.now };
      if (session.comments !== undefined && ctx.has(TABLE, 'comments')) created.comments = session.comments;
      entity = create(ctx, 'sessions', created);
    }
    track(ctx, {
      kind: 'sessions',
      path: `sessions[${i}]`,
      entity,
      key: () => keyOf(session),
      id: () => idOf(entity, 'sessionId'),
    });
    return entity;
  });
  return { entities, existing };
}

/**
 * The rows the payload's sessions may resolve to: by externalId anywhere, by expSessionPk in the
 * proposal the payload may resolve to (rows of a proposal it does not resolve to are never matched
 * by expSessionPk, see resolveChildKeys).
 */
export function sessionsLookUp(
  ctx: SyncContext,
  scope: ProposalScope,
  sessions: TSession[],
): LookUp | undefined {
  const query = selectAny(ctx, 'sessions', sessionBranches(ctx, scope, sessions));
  return query && { kind: 'sessions', queries: [query] };
}

/** The payload's session keys: externalIds (encoded) and expSessionPks (when the column exists). */
export function sessionKeys(ctx: SyncContext, sessions: TSession[]): { exts: Buffer[]; pks: number[] } {
  const exts = sessions.flatMap((s) => (s.externalId == null ? [] : [encodeExternalId(s.externalId)]));
  return { exts, pks: expSessionPks(ctx, sessions) };
}

/** The conditions of `sessionsLookUp`, one per key. */
function sessionBranches(ctx: SyncContext, scope: ProposalScope, sessions: TSession[]): Where[] {
  const { exts, pks } = sessionKeys(ctx, sessions);
  const branches: Where[] = [];
  if (exts.length > 0) branches.push((eb) => eb('externalId', 'in', exts));
  if (pks.length > 0)
    branches.push((eb) =>
      eb.and([eb('proposalId', 'in', proposalIds(ctx, scope)), eb('expSessionPk', 'in', pks)]),
    );
  return branches;
}

function expSessionPks(ctx: SyncContext, sessions: TSession[]): number[] {
  if (!ctx.has(TABLE, 'expSessionPk')) return [];
  return sessions.flatMap((s) => (s.expSessionPk == null ? [] : [s.expSessionPk]));
}

/**
 * For rows found by externalId in another proposal than `proposal`, that proposal's rows with the
 * payload's expSessionPks (a session may take a key held there). Rare: undefined when there are none.
 */
export function sessionHoldersLookUp(
  ctx: SyncContext,
  proposal: Managed | undefined,
  sessions: TSession[],
  rows: Managed[],
): LookUp | undefined {
  const pks = expSessionPks(ctx, sessions);
  const elsewhere = proposalsElsewhere(rows, proposal);
  if (elsewhere.length === 0 || pks.length === 0) return undefined;
  const query = selectWhere(ctx, 'sessions', (eb) =>
    eb.and([eb('proposalId', 'in', elsewhere), eb('expSessionPk', 'in', pks)]),
  );
  return { kind: 'sessions', queries: [query] };
}

function keyOf(session: TSession): TEntityResult['key'] {
  const key: TEntityResult['key'] = {};
  if (session.externalId != null) key.externalId = session.externalId;
  if (session.expSessionPk != null) key.expSessionPk = session.expSessionPk;
  return key;
}
