import { example } from './examples.js';

/** The create example as proposal `I-<number>` (its own proposal number and external id). */
export function proposalNumbered(n: number) {
  const payload = example('pyispyb-create');
  payload.proposal.proposalNumber = String(n);
  payload.proposal.externalId = n;
  return payload;
}

export const READ_BACK = (n: number) => `/ispyb/api/v1/webservices/userportalsync/proposal/I/${n}`;
