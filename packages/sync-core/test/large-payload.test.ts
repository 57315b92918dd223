import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncProposal, type UpsyncOrm } from '../src/index.js';
import { countStatements } from '../src/testing/index.js';
import { openTarget, sql, TARGETS } from './support/targets.js';

// A payload naming ~1,500 laboratories: the laboratories' look-up is an OR of (name, city,
// country) tuples, which SQLite refuses past 1,000 terms (a 500 before). Look-ups go in chunks.
const LABS = 1_500;

function payload(): Record<string, unknown> {
  const persons = Array.from({ length: LABS }, (_, i) => ({
    login: `many${i}`,
    familyName: `Family ${i}`,
    // every third laboratory without laboratoryExtPk: matched by (name, city, country) alone
    laboratory: {
      name: `Lab ${i}`,
      city: i % 2 ? 'Grenoble' : null,
      country: 'FR',
      ...(i % 3 ? { laboratoryExtPk: 50_000 + i } : {}),
    },
  }));
  return { proposal: { proposalCode: 'MANY', proposalNumber: '1', title: 'many laboratories', persons } };
}

describe.each(TARGETS)('a payload with thousands of rows to look up, on $dialect', (target) => {
  let orm: UpsyncOrm;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (target.skip) return;
    ({ orm, close } = await openTarget(target, 'many_labs'));
  });
  afterAll(async () => close?.());

  it.skipIf(target.skip)(`syncs ${LABS} laboratories, and finds every one again on a re-sync`, async () => {
    const first = await syncProposal(orm, payload());
    expect(first.summary.laboratories.created).toBe(LABS);
    expect(await sql(orm, 'SELECT COUNT(*) AS n FROM Laboratory')).toEqual([{ n: LABS }]);
    const { result, counts } = await countStatements(orm, () => syncProposal(orm, payload()));
    expect(result.summary.laboratories).toEqual({ created: 0, updated: 0, unchanged: LABS, deleted: 0 });
    expect(result.summary.persons.unchanged).toBe(LABS);
    expect(counts.ispybWrites).toBe(0);
    // the look-ups in chunks: a few statements, not one per laboratory
    expect(counts.select).toBeLessThan(20);
  });
});
