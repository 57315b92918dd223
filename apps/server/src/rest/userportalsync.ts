import type { TValidationIssue } from '@upsync/schema';
import { validationFailed } from '@upsync/sync-core';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Authenticate } from '../auth/authenticate.js';
import { PublicError } from '../errors/public-error.js';
import { JSON_TYPES, jsonBody } from '../http/json-body.js';
import { requireAuth } from '../http/require-auth.js';
import { appRouter } from '../router.js';
import type { Context, SyncService } from '../trpc/context.js';
import { t } from '../trpc/init.js';
import {
  PROPOSAL_PATH,
  SCHEMA_PATH,
  SYNC_PROPOSAL_PATH,
  SYNC_PROPOSALS_PATH,
  SYNC_RUN_DIFF_PATH,
  SYNC_RUN_PATH,
  SYNC_RUNS_PATH,
  SYNC_STATS_PATH,
} from './paths.js';

export { JSON_TYPES };

const createCaller = t.createCallerFactory(appRouter);

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off', ''];

/**
 * Only the route's own query parameters, spelled exactly: `?dryrun=true` is not `?dryRun=true`,
 * and silently syncing for real instead of a dry run is the worst way to find out. 422 names it.
 */
function strictQuery(allowed: readonly string[]) {
  const expected = allowed.length > 0 ? `expected ${allowed.join(', ')}` : 'this route takes none';
  return (req: Request, res: Response, next: NextFunction): void => {
    const issues: TValidationIssue[] = Object.keys(req.query)
      .filter((name) => !allowed.includes(name))
      .map((name) => ({
        path: name,
        message: `unknown query parameter (${expected})`,
        code: 'unrecognized_keys',
      }));
    if (issues.length > 0) res.locals.inputIn = 'query';
    next(issues.length > 0 ? validationFailed(issues) : undefined);
  };
}

/** Reads `?dryRun` / `?reconcile`; anything but a boolean spelling is a 422 naming the parameter. */
function readFlags(query: Request['query'], names: readonly string[]) {
  const flags: Record<string, boolean> = {};
  const issues: TValidationIssue[] = [];
  for (const name of names) {
    const raw = query[name];
    if (raw === undefined) flags[name] = false;
    else if (typeof raw === 'string' && TRUE.includes(raw.toLowerCase())) flags[name] = true;
    else if (typeof raw === 'string' && FALSE.includes(raw.toLowerCase())) flags[name] = false;
    else issues.push({ path: name, message: 'must be true or false', code: 'invalid_boolean' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  return flags;
}

/** The query string as the procedures take it: single values stay strings, repeated ones become arrays (refused by validation, which names them). */
function queryInput(query: Request['query']): never {
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, typeof value === 'string' ? value : [value].flat()]),
  ) as never;
}

/** `?replayOf=123`: a positive integer, or a 422 naming the parameter. */
function readReplayOf(query: Request['query']): number | undefined {
  const raw = query.replayOf;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' && /^[1-9]\d{0,15}$/.test(raw)) return Number(raw);
  throw validationFailed([
    { path: 'replayOf', message: 'must be the id of a recorded sync run', code: 'invalid_type' },
  ]);
}

/** 415 when a body is sent as anything but JSON (no body at all is a validation error later). */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  const refused = req.is(JSON_TYPES) === false;
  next(
    refused
      ? new PublicError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type: send application/json')
      : undefined,
  );
}

export interface RestOptions {
  authenticate: Authenticate;
  bodyLimitBytes: number;
  services: SyncService;
}

/**
 * The REST contract of py-ISPyB (body = the raw payload, flags in the query string), served by
 * calling the same tRPC procedures as `/trpc`: one router, two transports. Errors go to the app's
 * one error middleware (Express 5 forwards rejected handlers there).
 */
export function userPortalSyncRoutes(options: RestOptions): Router {
  const router = express.Router();
  const sync = requireAuth(options.authenticate, ['sync']);
  const read = requireAuth(options.authenticate, ['read']);
  const json = jsonBody(options.bodyLimitBytes);
  const flagsQuery = strictQuery(['dryRun', 'reconcile']);
  const syncQuery = strictQuery(['dryRun', 'reconcile', 'replayOf']);
  const callerFor = (res: Response) => {
    const ctx: Context = {
      requestId: res.locals.requestId,
      auth: res.locals.auth!,
      services: options.services,
      ...(res.locals.signal && { signal: res.locals.signal }),
    };
    return createCaller(ctx);
  };

  router.post(SYNC_PROPOSAL_PATH, sync, syncQuery, requireJson, json, async (req, res) => {
    res.locals.inputIn = 'query';
    const flags = readFlags(req.query, ['dryRun', 'reconcile']);
    const replayOf = readReplayOf(req.query);
    res.locals.inputIn = 'body';
    const input = { payload: req.body, reconcile: flags.reconcile, ...(replayOf && { replayOf }) };
    const caller = callerFor(res);
    res.json(flags.dryRun ? await caller.dryRunProposal(input) : await caller.syncProposal(input));
  });

  router.get(SCHEMA_PATH, sync, strictQuery([]), async (_req, res) => {
    res.json(await callerFor(res).schema());
  });

  router.post(SYNC_PROPOSALS_PATH, sync, flagsQuery, requireJson, json, async (req, res) => {
    res.locals.inputIn = 'query';
    const flags = readFlags(req.query, ['dryRun', 'reconcile']);
    res.locals.inputIn = 'body';
    if (!Array.isArray(req.body)) {
      throw validationFailed([
        { path: '', message: 'expected a JSON array of proposal payloads', code: 'invalid_type' },
      ]);
    }
    res.json(await callerFor(res).syncProposals({ payloads: req.body, ...flags }));
  });

  router.get(
    SYNC_RUNS_PATH,
    read,
    strictQuery(['proposal', 'outcome', 'principal', 'from', 'to', 'limit', 'cursor']),
    async (req, res) => {
      res.locals.inputIn = 'query';
      res.json(await callerFor(res).syncRuns(queryInput(req.query)));
    },
  );

  router.get(SYNC_STATS_PATH, read, strictQuery(['range', 'from', 'to']), async (req, res) => {
    res.locals.inputIn = 'query';
    res.json(await callerFor(res).syncStats(queryInput(req.query)));
  });

  router.get(SYNC_RUN_DIFF_PATH, read, strictQuery([]), async (req, res) => {
    const { from = '', to = '' } = req.params as Record<string, string>;
    res.locals.inputIn = 'query';
    res.json(await callerFor(res).syncRunDiff({ from, to }));
  });

  router.get(SYNC_RUN_PATH, read, strictQuery([]), async (req, res) => {
    const { id = '' } = req.params as Record<string, string>;
    res.locals.inputIn = 'query';
    res.json(await callerFor(res).syncRun({ id }));
  });

  router.get(PROPOSAL_PATH, read, strictQuery([]), async (req, res) => {
    const { proposalCode = '', proposalNumber = '' } = req.params as Record<string, string>;
    res.json(await callerFor(res).proposal({ proposalCode, proposalNumber }));
  });

  return router;
}
