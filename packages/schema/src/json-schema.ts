import * as z from 'zod';
import { resolvePayloadLimits, withMaxItems } from './payload-limits.js';
import { createSyncProposalSchema, type ParseOptions } from './sync-proposal.js';

/**
 * JSON Schema (draft 2020-12) of what a portal may send, for the given column limits (default: the
 * official schema); with `unknownKeys: 'strip'` objects allow additional properties.
 */
export function syncProposalJsonSchema(
  options: Pick<ParseOptions, 'limits' | 'unknownKeys' | 'maxItems'> = {},
): Record<string, unknown> {
  const schema = createSyncProposalSchema({
    limits: options.limits,
    unknownKeys: options.unknownKeys ?? 'reject',
  });
  const json = withMaxItems(
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>,
    resolvePayloadLimits(options).maxItems,
  );
  return {
    $schema: json.$schema,
    $id: 'https://upsync.invalid/sync-proposal.schema.json',
    title: 'upsync sync_proposal payload',
    description:
      'One proposal with its sessions, proteins, persons, laboratories and lab contacts (py-ISPyB userportalsync field names).',
    ...json,
  };
}
