import { describe, expectTypeOf, it } from 'vitest';
import type {
  TLaboratory,
  TPerson,
  TSession,
  TSessionPerson,
  TSyncProposal,
  TSyncProposalInput,
  TValidationIssue,
} from '../src/index.js';
import { parseSyncProposal } from '../src/index.js';

describe('inferred types', () => {
  it('input types accept what py-ISPyB accepted', () => {
    expectTypeOf<TSyncProposalInput['proposal']['proposalNumber']>().toEqualTypeOf<string | number>();
    expectTypeOf<TSyncProposalInput['proposal']['externalId']>().toEqualTypeOf<
      string | number | null | undefined
    >();
    expectTypeOf<TSyncProposalInput['proposal']['state']>().toEqualTypeOf<
      'Open' | 'Closed' | 'Cancelled' | null | undefined
    >();
    expectTypeOf<NonNullable<TSyncProposalInput['sessions']>[number]['scheduled']>().toEqualTypeOf<
      boolean | 0 | 1 | '0' | '1' | null | undefined
    >();
    expectTypeOf<TSyncProposalInput['proposal']['persons'][number]['passwd']>().toEqualTypeOf<
      null | undefined
    >();
  });

  it('output types are normalised', () => {
    expectTypeOf<TSyncProposal['proposal']['proposalNumber']>().toEqualTypeOf<string>();
    expectTypeOf<TSyncProposal['proposal']['externalId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<TSession['nbShifts']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<TSession['scheduled']>().toEqualTypeOf<0 | 1 | null | undefined>();
    expectTypeOf<TSession['startDate']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<TLaboratory['country']>().toEqualTypeOf<string>();
    expectTypeOf<TLaboratory['laboratoryExtPk']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<TPerson>().not.toHaveProperty('passwd');
    expectTypeOf<TSessionPerson['session_options']>().toEqualTypeOf<
      { role?: string | null; remote?: 0 | 1 | null } | null | undefined
    >();
    expectTypeOf<TSyncProposal['proposal']['persons'][number]>().toEqualTypeOf<TPerson>();
  });

  it('parseSyncProposal returns data or errors', () => {
    const result = parseSyncProposal({});
    if (result.success) expectTypeOf(result.data).toEqualTypeOf<TSyncProposal>();
    else expectTypeOf(result.errors).toEqualTypeOf<TValidationIssue[]>();
  });
});
