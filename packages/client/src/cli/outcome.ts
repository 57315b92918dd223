import type { TSyncResult, TValidationIssue } from '@upsync/schema';
import { UpsyncError, UpsyncValidationError } from '../errors.js';

/** Why a payload failed, in a JSON-friendly form. */
export interface OutcomeError {
  code: string;
  message: string;
  status?: number;
  path?: string;
  issues?: TValidationIssue[];
}

/** What happened to one payload of one file. */
export interface PayloadOutcome {
  file: string;
  /** Index in the file's array, or null when the file holds one payload. */
  index: number | null;
  /** `MX-3456`, when the payload names its proposal. */
  proposal: string | null;
  ok: boolean;
  result?: TSyncResult;
  error?: OutcomeError;
}

/** The error as it goes into `--json` output and the summary table. */
export function outcomeError(error: unknown): OutcomeError {
  if (!(error instanceof UpsyncError)) {
    return { code: 'CLIENT_ERROR', message: error instanceof Error ? error.message : String(error) };
  }
  return {
    code: error.code,
    message: error.message,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error instanceof UpsyncValidationError ? { issues: error.issues } : {}),
  };
}

/** The first thing to tell a person about a failure: the first validation issue, or the message. */
export function firstError(error: OutcomeError): string {
  const issue = error.issues?.[0];
  if (issue) return `${issue.path || '(root)'}: ${issue.message}`;
  return error.path ? `${error.path}: ${error.message}` : error.message;
}

/** `MX-3456` from a raw payload, or null when it has no readable proposal key. */
export function proposalLabel(payload: unknown): string | null {
  const proposal = (payload as { proposal?: { proposalCode?: unknown; proposalNumber?: unknown } } | null)
    ?.proposal;
  const code = proposal?.proposalCode;
  const number = proposal?.proposalNumber;
  if (typeof code !== 'string' || (typeof number !== 'string' && typeof number !== 'number')) return null;
  return `${code}-${number}`;
}

/** `file.json` or `file.json[3]`. */
export function entryName(outcome: Pick<PayloadOutcome, 'file' | 'index'>): string {
  return outcome.index === null ? outcome.file : `${outcome.file}[${outcome.index}]`;
}
