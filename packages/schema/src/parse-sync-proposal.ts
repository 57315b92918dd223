import type * as z from 'zod';
import type { TValidationIssue } from './errors.js';
import { describeType } from './issue-codes.js';
import { mergePersons, type TPersonGroup } from './merge-persons.js';
import { missingColumnWarnings, takeSkipped, unkeyedSessions } from './missing-columns.js';
import { checkParseOptions } from './parse-options.js';
import { formatPath } from './path.js';
import { capIssues, oversizedLists, resolvePayloadLimits } from './payload-limits.js';
import { repeatedKeys } from './repeated-keys.js';
import { createSyncProposalSchema, type ParseOptions, type TSyncProposal } from './sync-proposal.js';
import type { TSyncWarning } from './sync-result.js';
import { unknownKeysFinder } from './unknown-keys.js';

/** Result of `parseSyncProposal`: the normalised payload and warnings, or every problem found. */
export type TParseResult =
  | {
      success: true;
      data: TSyncProposal;
      warnings: TSyncWarning[];
      /** The person identities of `data` (each Person row to sync), in payload order. */
      persons: TPersonGroup[];
    }
  | { success: false; errors: TValidationIssue[] };

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array' };

/** Messages for the issues Zod raises itself (our fields raise custom issues with their own messages). */
function zodMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'this field is required';
    return `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${describeType(issue.input)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'array') return 'a proposal needs at least one person';
  return undefined;
}

function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return String(issue.params?.code ?? 'invalid_type');
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'required' : 'invalid_type';
  if (issue.code === 'too_small') return 'at_least_one';
  return 'invalid_type';
}

/** A parser bound to one set of options (build it once when the options do not change). Never throws. */
export function createSyncProposalParser(options?: ParseOptions): (input: unknown) => TParseResult {
  const optionErrors = checkParseOptions(options);
  if (optionErrors.length > 0) return () => ({ success: false, errors: optionErrors });
  const unknownKeys = options?.unknownKeys ?? 'reject';
  const payloadLimits = resolvePayloadLimits(options);
  // Unknown keys are found by the walk below, with hints, under either policy: strict objects would
  // only find them again (their issues are dropped) at the cost of a pass over every object's keys.
  const schema = createSyncProposalSchema({ ...options, unknownKeys: 'strip' });
  const skipping =
    options?.missingColumns === 'skip' &&
    Object.values(options.limits ?? {}).some((table) =>
      Object.values(table ?? {}).some((f) => f.present === false),
    );
  const findUnknownKeys = unknownKeysFinder(schema);
  return (input) => {
    try {
      const oversized = oversizedLists(input, payloadLimits);
      if (oversized.length > 0) return { success: false, errors: oversized };
      const unknown = findUnknownKeys(input);
      const result = schema.safeParse(input, { error: zodMessage, reportInput: true });
      const errors: TValidationIssue[] = result.success
        ? []
        : result.error.issues
            .filter((issue) => issue.code !== 'unrecognized_keys')
            .map((issue) => ({ path: formatPath(issue.path), message: issue.message, code: codeOf(issue) }));
      if (unknownKeys === 'reject') {
        for (const key of unknown) errors.push({ ...key, code: 'unknown_key' });
      }
      if (errors.length > 0 || !result.success) {
        return { success: false, errors: capIssues(errors, payloadLimits) };
      }
      // skip mode: fields without a column leave the data here, before the merge copies persons
      const skipped = skipping ? takeSkipped(result.data) : [];
      const merged = mergePersons(result.data as Parameters<typeof mergePersons>[0]);
      const conflicts = [...merged.issues, ...repeatedKeys(result.data)];
      if (conflicts.length > 0) return { success: false, errors: capIssues(conflicts, payloadLimits) };
      const warnings: TSyncWarning[] = unknown.map((key) => ({ ...key, code: 'unknown_key_stripped' }));
      if (skipped.length > 0)
        warnings.push(...missingColumnWarnings(skipped), ...unkeyedSessions(result.data, skipped));
      return { success: true, data: result.data, warnings, persons: merged.groups };
    } catch (error) {
      // Defensive: validation must answer, whatever the input (e.g. an engine's stack limit).
      const reason = error instanceof Error ? error.message : String(error);
      return {
        success: false,
        errors: [{ path: '', code: 'invalid_type', message: `input could not be validated: ${reason}` }],
      };
    }
  };
}

const cache = new Map<string, (input: unknown) => TParseResult>();

/**
 * Validates and normalises a sync payload (sync-spec §3). Returns the normalised data and warnings,
 * or every problem with its path; never throws, whatever the input.
 */
export function parseSyncProposal(input: unknown, options?: ParseOptions): TParseResult {
  let key: string;
  try {
    key = JSON.stringify(options ?? {});
  } catch {
    return createSyncProposalParser(options)(input);
  }
  let parser = cache.get(key);
  if (!parser) {
    // Options rarely vary (a server passes the same live limits): keep a few parsers.
    if (cache.size >= 16) cache.clear();
    parser = createSyncProposalParser(options);
    cache.set(key, parser);
  }
  return parser(input);
}
