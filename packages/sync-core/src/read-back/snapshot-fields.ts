import type { ValueKind } from './snapshot-values.js';

// The payload fields read back per table (column name = payload field name), with their kinds.
// test/snapshot-fields.test.ts holds them to the schema: the same fields as FIELD_COLUMNS (keys
// apart), each kind as the snapshot wire shape types it.

export const LABORATORY_FIELDS = {
  name: 'text',
  address: 'text',
  city: 'text',
  country: 'text',
  url: 'text',
  laboratoryExtPk: 'number',
} as const satisfies Record<string, ValueKind>;

export const PERSON_FIELDS = {
  login: 'text',
  externalId: 'externalId',
  givenName: 'text',
  familyName: 'text',
  title: 'text',
  emailAddress: 'text',
  phoneNumber: 'text',
  faxNumber: 'text',
  siteId: 'number',
  personUUID: 'text',
} as const satisfies Record<string, ValueKind>;

export const PROPOSAL_FIELDS = {
  title: 'text',
  proposalType: 'text',
  state: 'text',
  externalId: 'externalId',
} as const satisfies Record<string, ValueKind>;

export const LAB_CONTACT_FIELDS = {
  defaultCourrierCompany: 'text',
  courierAccount: 'text',
  billingReference: 'text',
  dewarAvgCustomsValue: 'number',
  dewarAvgTransportValue: 'number',
} as const satisfies Record<string, ValueKind>;

export const PROTEIN_FIELDS = {
  externalId: 'externalId',
  name: 'text',
  description: 'text',
  sequence: 'text',
  hazardGroup: 'number',
  containmentLevel: 'number',
  safetyLevel: 'text',
  molecularMass: 'number',
  proteinType: 'text',
  modId: 'text',
  isCreatedBySampleSheet: 'flag',
  componentTypeId: 'number',
  concentrationTypeId: 'number',
} as const satisfies Record<string, ValueKind>;

export const SESSION_FIELDS = {
  externalId: 'externalId',
  expSessionPk: 'number',
  startDate: 'datetime',
  endDate: 'datetime',
  lastUpdate: 'datetime',
  beamLineName: 'text',
  beamLineOperator: 'text',
  scheduled: 'flag',
  nbShifts: 'number',
  visit_number: 'number',
  usedFlag: 'flag',
  sessionTitle: 'text',
  projectCode: 'text',
  operatorSiteNumber: 'text',
  protectedData: 'text',
  structureDeterminations: 'number',
  dewarTransport: 'number',
  databackupFrance: 'number',
  databackupEurope: 'number',
  nbReimbDewars: 'number',
  comments: 'text',
} as const satisfies Record<string, ValueKind>;

export const SESSION_OPTION_FIELDS = { role: 'text', remote: 'flag' } as const satisfies Record<
  string,
  ValueKind
>;
