import type { TValidationIssue } from './errors.js';
import { formatPath } from './path.js';

/** Bounds on the work one payload may ask for (parse options `maxItems` and `maxIssues`). */
export interface PayloadLimits {
  /** Most entries in any one list of a payload (persons, lab contacts, sessions, a session's persons, proteins). */
  maxItems: number;
  /** Most validation issues listed in one answer; the rest are counted in one last issue. */
  maxIssues: number;
}

/**
 * Defaults: far above a real proposal (tens of persons, hundreds of sessions at most) and far
 * below what blocks a server (100,000 persons in one payload were accepted; a 1 MB payload of
 * mistakes gave a 39 MB list of issues).
 */
export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = { maxItems: 2000, maxIssues: 100 };

/** The defaults with the given limits over them. */
export function resolvePayloadLimits(limits: Partial<PayloadLimits> = {}): PayloadLimits {
  return {
    maxItems: limits.maxItems ?? DEFAULT_PAYLOAD_LIMITS.maxItems,
    maxIssues: limits.maxIssues ?? DEFAULT_PAYLOAD_LIMITS.maxIssues,
  };
}

interface Pending {
  value: unknown;
  parent: Pending | undefined;
  key: PropertyKey;
}

function pathOf(node: Pending): string {
  const parts: PropertyKey[] = [];
  for (let n: Pending | undefined = node; n?.parent; n = n.parent) parts.push(n.key);
  return formatPath(parts.reverse());
}

/**
 * Lists longer than `maxItems`, anywhere in the input, found before validation: validating
 * 100,000 persons only to refuse them costs seconds. Iterative (a deeply nested input must not
 * overflow the stack); stops at the first `maxIssues` lists it reports.
 */
export function oversizedLists(input: unknown, limits: PayloadLimits): TValidationIssue[] {
  const issues: TValidationIssue[] = [];
  const stack: Pending[] = [{ value: input, parent: undefined, key: '' }];
  while (stack.length > 0 && issues.length < limits.maxIssues) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > limits.maxItems) {
        issues.push({
          path: pathOf(node),
          code: 'too_many_items',
          message: `${value.length} entries: a list holds at most ${limits.maxItems} (limit maxItems)`,
        });
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: node, key: i });
    } else {
      for (const key of Object.keys(value)) {
        const child = (value as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, parent: node, key });
      }
    }
  }
  return issues;
}

/** The first `maxIssues` issues, and one more that counts the rest. */
export function capIssues(issues: TValidationIssue[], limits: PayloadLimits): TValidationIssue[] {
  if (issues.length <= limits.maxIssues) return issues;
  const rest = issues.length - limits.maxIssues;
  return [
    ...issues.slice(0, limits.maxIssues),
    {
      path: '',
      code: 'too_many_issues',
      message: `${rest} more issue${rest === 1 ? '' : 's'} not listed (limit maxIssues = ${limits.maxIssues})`,
    },
  ];
}

/** Adds `maxItems` to every array of a JSON Schema document (the lists `oversizedLists` bounds). */
export function withMaxItems<T>(schema: T, maxItems: number): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    if (out.type === 'array' || (Array.isArray(out.type) && out.type.includes('array'))) {
      out.maxItems = maxItems;
    }
    return out;
  };
  return visit(schema) as T;
}
