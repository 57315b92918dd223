import * as z from 'zod';
import { ABSENT_MARK } from './missing-columns.js';
import { resolvePayloadLimits, withMaxItems } from './payload-limits.js';
import { createSyncProposalSchema, type ParseOptions } from './sync-proposal.js';

/**
 * JSON Schema (draft 2020-12) of what a portal may send, for the given column limits (default: the
 * official schema); with `unknownKeys: 'strip'` objects allow additional properties.
 */
export function syncProposalJsonSchema(
  options: Pick<ParseOptions, 'limits' | 'unknownKeys' | 'missingColumns' | 'maxItems'> = {},
): Record<string, unknown> {
  const schema = createSyncProposalSchema({
    limits: options.limits,
    unknownKeys: options.unknownKeys ?? 'reject',
    missingColumns: options.missingColumns,
  });
  const json = withMaxItems(
    withoutAbsentFields(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' })) as Record<
      string,
      unknown
    >,
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

/**
 * The schema without the fields this database cannot store (refuse mode): a field whose column is
 * missing is left out of its object's `properties` and `required`, so the schema describes the
 * live database (under skip they stay, marked as ignored).
 */
function withoutAbsentFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAbsentFields);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const absent = new Set<string>();
  const properties = (value as { properties?: Record<string, Record<string, unknown>> }).properties;
  if (properties && typeof properties === 'object') {
    for (const [key, field] of Object.entries(properties)) if (field?.[ABSENT_MARK]) absent.add(key);
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'properties' && absent.size > 0) {
      out[key] = Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => !absent.has(k))
          .map(([k, f]) => [k, withoutAbsentFields(f)]),
      );
    } else if (key === 'required' && absent.size > 0 && Array.isArray(v)) {
      out[key] = v.filter((k) => !absent.has(k));
    } else out[key] = withoutAbsentFields(v);
  }
  return out;
}
