import type { TValidationIssue } from '@upsync/schema';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Authenticate } from '../auth/authenticate.js';
import { requireAuth } from '../http/require-auth.js';
import { sendError, validationBody } from '../http/send-error.js';
import { appRouter } from '../router.js';
import type { Context, SyncService } from '../trpc/context.js';
import { t } from '../trpc/init.js';
import {
  PROPOSAL_PATH,
  SCHEMA_PATH,
  SYNC_PROPOSAL_PATH,
  SYNC_PROPOSALS_PATH,
  SYNC_RUNS_PATH,
} from './paths.js';

export const JSON_TYPES = ['application/json', 'application/*+json'];

const createCaller = t.createCallerFactory(appRouter);

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off', ''];

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
  return { flags, issues };
}

/** 415 when a body is sent as anything but JSON (no body at all is a validation error later). */
function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (req.is(JSON_TYPES) === false) {
    res
      .status(415)
      .json({ detail: 'Unsupported media type: send application/json', code: 'UNSUPPORTED_MEDIA_TYPE' });
    return;
  }
  next();
}

export interface RestOptions {
  authenticate: Authenticate;
  bodyLimitBytes: number;
  services: SyncService;
}

/**
 * The REST contract of py-ISPyB (body = the raw payload, flags in the query string), served by
 * calling the same tRPC procedures as `/trpc`: one router, two transports.
 */
export function userPortalSyncRoutes(options: RestOptions): Router {
  const router = express.Router();
  const auth = requireAuth(options.authenticate);
  const json = express.json({ limit: options.bodyLimitBytes, type: JSON_TYPES });
  const callerFor = (res: Response) => {
    const ctx: Context = {
      requestId: res.locals.requestId,
      auth: res.locals.auth!,
      services: options.services,
    };
    return createCaller(ctx);
  };

  router.post(SYNC_PROPOSAL_PATH, auth, requireJson, json, async (req, res) => {
    const { flags, issues } = readFlags(req.query, ['dryRun', 'reconcile']);
    if (issues.length > 0) return void res.status(422).json(validationBody(issues, 'query'));
    const input = { payload: req.body, reconcile: flags.reconcile };
    try {
      const caller = callerFor(res);
      res.json(flags.dryRun ? await caller.dryRunProposal(input) : await caller.syncProposal(input));
    } catch (error) {
      sendError(res, error);
    }
  });

  router.get(SCHEMA_PATH, auth, async (_req, res) => {
    try {
      res.json(await callerFor(res).schema());
    } catch (error) {
      sendError(res, error);
    }
  });

  router.post(SYNC_PROPOSALS_PATH, auth, requireJson, json, async (req, res) => {
    const { flags, issues } = readFlags(req.query, ['dryRun', 'reconcile']);
    if (issues.length > 0) return void res.status(422).json(validationBody(issues, 'query'));
    if (!Array.isArray(req.body)) {
      const issue = { path: '', message: 'expected a JSON array of proposal payloads', code: 'invalid_type' };
      return void res.status(422).json(validationBody([issue]));
    }
    try {
      res.json(await callerFor(res).syncProposals({ payloads: req.body, ...flags }));
    } catch (error) {
      sendError(res, error);
    }
  });

  router.get(SYNC_RUNS_PATH, auth, async (req, res) => {
    // only single string values: `?limit=1&limit=2` is not a number, so validation names it
    const query = Object.fromEntries(
      ['proposal', 'outcome', 'limit', 'cursor'].flatMap((name) => {
        const value = req.query[name];
        return value === undefined ? [] : [[name, typeof value === 'string' ? value : [value].flat()]];
      }),
    );
    try {
      res.json(await callerFor(res).syncRuns(query as never));
    } catch (error) {
      sendError(res, error, 'query');
    }
  });

  router.get(PROPOSAL_PATH, auth, async (req, res) => {
    const { proposalCode = '', proposalNumber = '' } = req.params as Record<string, string>;
    try {
      res.json(await callerFor(res).proposal({ proposalCode, proposalNumber }));
    } catch (error) {
      sendError(res, error);
    }
  });

  return router;
}
