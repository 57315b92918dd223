import * as z from 'zod';
import { ISPYB_TABLES } from './column-limits.js';
import { facilityClock } from './datetime.js';
import type { TValidationIssue } from './errors.js';
import { formatPath } from './path.js';
import type { ParseOptions } from './sync-proposal.js';

/** Validation of `ColumnFacts`: strict, so that a misspelt fact is not silently ignored. */
export const ZColumnFacts = z.strictObject({
  maxLength: z.number().int().min(0).optional(),
  latin1: z.boolean().optional(),
  utf8mb3: z.boolean().optional(),
  enumValues: z.array(z.string()).readonly().optional(),
  nullable: z.boolean().optional(),
  present: z.boolean().optional(),
});

/** Validation of `ParseOptions` (the options come from code, but also from server configuration). */
export const ZParseOptions = z.strictObject({
  limits: z.partialRecord(z.enum(ISPYB_TABLES), z.record(z.string(), ZColumnFacts)).optional(),
  unknownKeys: z.enum(['reject', 'strip']).optional(),
  timeZone: z.string().optional(),
  missingColumns: z.enum(['refuse', 'skip']).optional(),
  maxItems: z.number().int().min(1).optional(),
  maxIssues: z.number().int().min(1).optional(),
});

/** Problems with the options themselves (code `invalid_option`, path ''); none when they are usable. */
export function checkParseOptions(options: unknown): TValidationIssue[] {
  if (options === undefined) return [];
  const result = ZParseOptions.safeParse(options);
  if (!result.success) {
    return result.error.issues.map((issue) => ({
      path: '',
      code: 'invalid_option',
      message: `options.${formatPath(issue.path)}: ${issue.message}`,
    }));
  }
  const { timeZone } = result.data as ParseOptions;
  if (timeZone !== undefined) {
    try {
      facilityClock(timeZone);
    } catch {
      return [
        {
          path: '',
          code: 'invalid_option',
          message: `options.timeZone: ${JSON.stringify(timeZone.slice(0, 60))} is not an IANA time zone name such as "Europe/Berlin"`,
        },
      ];
    }
  }
  return [];
}
