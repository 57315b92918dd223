import { q } from '../db/gateway.js';
import type { ProposalIn } from './input.js';

/**
 * The proposals whose rows a child look-up (participants, cards, proteins, sessions) reads, as a
 * subquery: `proposalId IN (<sql>)`. Before the proposal is resolved, the proposals with the
 * payload's code and number (an index every ISPyB has), so that the children are read in the
 * same round trip as everything else; the modules keep only the resolved proposal's rows.
 */
export interface ProposalScope {
  sql: string;
  params: unknown[];
}

export function scopeByKey(proposal: Pick<ProposalIn, 'proposalCode' | 'proposalNumber'>): ProposalScope {
  return {
    sql: `SELECT ${q('proposalId')} FROM ${q('Proposal')} WHERE ${q('proposalCode')} = ? AND ${q('proposalNumber')} = ?`,
    params: [proposal.proposalCode, proposal.proposalNumber],
  };
}

/** A resolved proposal that the key scope did not cover (found by externalId under another code). */
export function scopeById(proposalId: number): ProposalScope {
  return { sql: '?', params: [proposalId] };
}
