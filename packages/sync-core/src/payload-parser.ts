import { createSyncProposalParser, type PayloadLimits, type TParseResult } from '@upsync/schema';
import { internalsOf, type UpsyncOrm } from './orm/internals.js';

/** The payload parser for this database's live limits, built once per option set, not per sync. */
export function parserFor(
  orm: UpsyncOrm,
  unknownKeys: 'reject' | 'strip',
  timeZone: string,
  payloadLimits: Partial<PayloadLimits> = {},
): (input: unknown) => TParseResult {
  const { parsers } = internalsOf(orm);
  const { maxItems, maxIssues } = payloadLimits;
  const key = `${unknownKeys}|${timeZone}|${maxItems}|${maxIssues}`;
  let parser = parsers.get(key);
  if (!parser) {
    if (parsers.size >= 16) parsers.clear(); // time zones come from callers: stay bounded
    parser = createSyncProposalParser({
      limits: orm.columnLimits,
      unknownKeys,
      timeZone,
      missingColumns: orm.missingColumns,
      maxItems,
      maxIssues,
    });
    parsers.set(key, parser);
  }
  return parser;
}
