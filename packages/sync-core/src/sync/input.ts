/**
 * The normalised payload as sync-core reads it (the output of @upsync/schema's parseSyncProposal,
 * see docs/architecture.md): absent = undefined (left as is), null = clear, externalIds canonical
 * strings, datetimes 'YYYY-MM-DD HH:mm:ss' facility-local, flags 0 | 1.
 */
export type Nullable<T> = T | null | undefined;

export interface LabIn {
  name?: Nullable<string>;
  address?: Nullable<string>;
  city?: Nullable<string>;
  country?: Nullable<string>;
  url?: Nullable<string>;
  laboratoryExtPk?: Nullable<number>;
}

export interface SessionOptionsIn {
  role?: Nullable<string>;
  remote?: Nullable<number>;
}

export interface PersonIn {
  externalId?: Nullable<string>;
  login?: Nullable<string>;
  givenName?: Nullable<string>;
  familyName?: Nullable<string>;
  title?: Nullable<string>;
  emailAddress?: Nullable<string>;
  phoneNumber?: Nullable<string>;
  faxNumber?: Nullable<string>;
  siteId?: Nullable<number>;
  personUUID?: Nullable<string>;
  laboratory?: Nullable<LabIn>;
  session_options?: Nullable<SessionOptionsIn>;
}

export interface LabContactIn {
  cardName: string;
  person: PersonIn;
  defaultCourrierCompany?: Nullable<string>;
  courierAccount?: Nullable<string>;
  billingReference?: Nullable<string>;
  dewarAvgCustomsValue?: Nullable<number>;
  dewarAvgTransportValue?: Nullable<number>;
}

export interface ProposalIn {
  proposalCode: string;
  proposalNumber: string;
  title?: Nullable<string>;
  proposalType?: Nullable<string>;
  state?: Nullable<string>;
  externalId?: Nullable<string>;
  persons: PersonIn[];
  labcontacts?: Nullable<LabContactIn[]>;
}

export interface SessionIn {
  externalId?: Nullable<string>;
  expSessionPk?: Nullable<number>;
  comments?: Nullable<string>;
  lastUpdate?: Nullable<string>;
  persons?: Nullable<PersonIn[]>;
  [field: string]: unknown;
}

export interface ProteinIn {
  acronym: string;
  person: PersonIn;
  externalId?: Nullable<string>;
  [field: string]: unknown;
}

export interface SyncInput {
  proposal: ProposalIn;
  sessions?: Nullable<SessionIn[]>;
  proteins?: Nullable<ProteinIn[]>;
}
