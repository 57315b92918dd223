// The deliberate public API of @upsync/schema.

export { type ColumnFacts, type ColumnLimits, ISPYB_TABLES, type IspybTable } from './column-limits.js';
export { facilityDatetime } from './datetime.js';
export {
  DECLARATION,
  type Declaration,
  type EntityDeclaration,
  type FieldDeclaration,
  type FieldMode,
  keyFields,
  PAYLOAD_ENTITIES,
  SESSION_ROLES,
  type ValueKind,
} from './declaration.js';
export { type SnapshotValueKind, snapshotValueKind } from './declared-shapes.js';
export { DEFAULT_COLUMN_LIMITS, type ResolvedLimits, resolveLimits } from './default-limits.js';
export { diffPayloads } from './diff-payloads.js';
export * from './errors.js';
export { EXTERNAL_ID_PATTERN, externalIdToBytes, toExternalId } from './external-id.js';
export * from './field-changes.js';
export { FIELD_COLUMNS, type FieldColumn, type FieldColumns, type PayloadEntity } from './field-columns.js';
export { type TIssueCode, type TWarningCode, ZIssueCode, ZWarningCode } from './issue-codes.js';
export { syncProposalJsonSchema } from './json-schema.js';
export { loginKey, type TPersonGroup, type TPersonOccurrence } from './merge-persons.js';
export type { MissingColumns } from './missing-columns.js';
export { ZColumnFacts, ZParseOptions } from './parse-options.js';
export { createSyncProposalParser, parseSyncProposal, type TParseResult } from './parse-sync-proposal.js';
export { formatPath } from './path.js';
export { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from './payload-limits.js';
export * from './proposal-snapshot.js';
export { snapshotToPayload } from './snapshot-to-payload.js';
export * from './sync-batch-result.js';
export {
  createSyncProposalSchema,
  createSyncProposalSchemas,
  type ParseOptions,
  type TLabContact,
  type TLabContactInput,
  type TLaboratory,
  type TLaboratoryInput,
  type TPerson,
  type TPersonInput,
  type TProposal,
  type TProposalInput,
  type TProtein,
  type TProteinInput,
  type TSession,
  type TSessionInput,
  type TSessionOptions,
  type TSessionOptionsInput,
  type TSessionPerson,
  type TSessionPersonInput,
  type TSyncProposal,
  type TSyncProposalInput,
  ZLabContact,
  ZLaboratory,
  ZPerson,
  ZProposal,
  ZProtein,
  ZSession,
  ZSessionOptions,
  ZSessionPerson,
  ZSyncProposal,
} from './sync-proposal.js';
export * from './sync-result.js';
export * from './sync-run.js';
export * from './sync-stats.js';
export { VERSION } from './version.js';
