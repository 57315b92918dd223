import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Where `value` breaks the schema that a served OpenAPI 3.1 document advertises under
 * `#/components/schemas/<name>` (JSON Schema 2020-12, `$ref`s resolved within the document); [] when
 * it matches.
 */
export function schemaViolations(openapi: Record<string, unknown>, name: string, value: unknown): string[] {
  // strict off: OpenAPI's own keywords (example, x-…) are not JSON Schema's
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile({ ...openapi, $ref: `#/components/schemas/${name}` });
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
