/**
 * Facts about ISPyB columns that validation depends on. The defaults restate the official
 * schema (ispyb-tables.md); a server passes the facts it read from the live database instead,
 * because deployed databases drift (lengths, charsets, enum values, missing columns).
 */
export interface ColumnFacts {
  /** Maximum length in characters of a varchar/text column. */
  maxLength?: number;
  /** The column stores latin1: text outside latin1 cannot be stored. */
  latin1?: boolean;
  /** The column stores utf8mb3 (MySQL's `utf8`): characters beyond U+FFFF (emoji) cannot be stored. */
  utf8mb3?: boolean;
  /** Allowed values of an enum column. */
  enumValues?: readonly string[];
  nullable?: boolean;
  /** false when this deployment lacks the column (other ISPyB flavours): the field is refused. */
  present?: boolean;
}

export const ISPYB_TABLES = [
  'Laboratory',
  'Person',
  'Proposal',
  'ProposalHasPerson',
  'LabContact',
  'Protein',
  'BLSession',
  'Session_has_Person',
] as const;
export type IspybTable = (typeof ISPYB_TABLES)[number];

/** Per table, per column name (exact ISPyB spelling). Partial: what is given overrides the defaults. */
export type ColumnLimits = { [T in IspybTable]?: Record<string, ColumnFacts> };
