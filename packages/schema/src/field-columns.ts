import type { IspybTable } from './column-limits.js';

/** Where one payload field is stored. */
export interface FieldColumn {
  table: IspybTable;
  column: string;
}

const person = {
  login: { table: 'Person', column: 'login' },
  externalId: { table: 'Person', column: 'externalId' },
  givenName: { table: 'Person', column: 'givenName' },
  familyName: { table: 'Person', column: 'familyName' },
  title: { table: 'Person', column: 'title' },
  emailAddress: { table: 'Person', column: 'emailAddress' },
  phoneNumber: { table: 'Person', column: 'phoneNumber' },
  faxNumber: { table: 'Person', column: 'faxNumber' },
  siteId: { table: 'Person', column: 'siteId' },
  personUUID: { table: 'Person', column: 'personUUID' },
} as const;

const laboratory = {
  name: { table: 'Laboratory', column: 'name' },
  address: { table: 'Laboratory', column: 'address' },
  city: { table: 'Laboratory', column: 'city' },
  country: { table: 'Laboratory', column: 'country' },
  url: { table: 'Laboratory', column: 'url' },
  laboratoryExtPk: { table: 'Laboratory', column: 'laboratoryExtPk' },
} as const;

const proposal = {
  proposalCode: { table: 'Proposal', column: 'proposalCode' },
  proposalNumber: { table: 'Proposal', column: 'proposalNumber' },
  title: { table: 'Proposal', column: 'title' },
  proposalType: { table: 'Proposal', column: 'proposalType' },
  state: { table: 'Proposal', column: 'state' },
  externalId: { table: 'Proposal', column: 'externalId' },
} as const;

const labContact = {
  cardName: { table: 'LabContact', column: 'cardName' },
  defaultCourrierCompany: { table: 'LabContact', column: 'defaultCourrierCompany' },
  courierAccount: { table: 'LabContact', column: 'courierAccount' },
  billingReference: { table: 'LabContact', column: 'billingReference' },
  dewarAvgCustomsValue: { table: 'LabContact', column: 'dewarAvgCustomsValue' },
  dewarAvgTransportValue: { table: 'LabContact', column: 'dewarAvgTransportValue' },
} as const;

const protein = {
  acronym: { table: 'Protein', column: 'acronym' },
  externalId: { table: 'Protein', column: 'externalId' },
  name: { table: 'Protein', column: 'name' },
  description: { table: 'Protein', column: 'description' },
  sequence: { table: 'Protein', column: 'sequence' },
  hazardGroup: { table: 'Protein', column: 'hazardGroup' },
  containmentLevel: { table: 'Protein', column: 'containmentLevel' },
  safetyLevel: { table: 'Protein', column: 'safetyLevel' },
  molecularMass: { table: 'Protein', column: 'molecularMass' },
  proteinType: { table: 'Protein', column: 'proteinType' },
  modId: { table: 'Protein', column: 'modId' },
  isCreatedBySampleSheet: { table: 'Protein', column: 'isCreatedBySampleSheet' },
  componentTypeId: { table: 'Protein', column: 'componentTypeId' },
  concentrationTypeId: { table: 'Protein', column: 'concentrationTypeId' },
} as const;

const session = {
  externalId: { table: 'BLSession', column: 'externalId' },
  expSessionPk: { table: 'BLSession', column: 'expSessionPk' },
  startDate: { table: 'BLSession', column: 'startDate' },
  endDate: { table: 'BLSession', column: 'endDate' },
  lastUpdate: { table: 'BLSession', column: 'lastUpdate' },
  beamLineName: { table: 'BLSession', column: 'beamLineName' },
  beamLineOperator: { table: 'BLSession', column: 'beamLineOperator' },
  scheduled: { table: 'BLSession', column: 'scheduled' },
  nbShifts: { table: 'BLSession', column: 'nbShifts' },
  visit_number: { table: 'BLSession', column: 'visit_number' },
  usedFlag: { table: 'BLSession', column: 'usedFlag' },
  sessionTitle: { table: 'BLSession', column: 'sessionTitle' },
  projectCode: { table: 'BLSession', column: 'projectCode' },
  operatorSiteNumber: { table: 'BLSession', column: 'operatorSiteNumber' },
  protectedData: { table: 'BLSession', column: 'protectedData' },
  structureDeterminations: { table: 'BLSession', column: 'structureDeterminations' },
  dewarTransport: { table: 'BLSession', column: 'dewarTransport' },
  databackupFrance: { table: 'BLSession', column: 'databackupFrance' },
  databackupEurope: { table: 'BLSession', column: 'databackupEurope' },
  nbReimbDewars: { table: 'BLSession', column: 'nbReimbDewars' },
  comments: { table: 'BLSession', column: 'comments' },
} as const;

const sessionOptions = {
  role: { table: 'Session_has_Person', column: 'role' },
  remote: { table: 'Session_has_Person', column: 'remote' },
} as const;

/**
 * Per payload entity, which scalar field is stored in which ISPyB column. Nested objects
 * (`laboratory`, `person`, `persons`, `session_options`, …) and `passwd` (never written) are not listed.
 */
export const FIELD_COLUMNS = {
  person,
  laboratory,
  proposal,
  labContact,
  protein,
  session,
  sessionOptions,
} as const satisfies Record<string, Record<string, FieldColumn>>;

export type FieldColumns = typeof FIELD_COLUMNS;
export type PayloadEntity = keyof FieldColumns;
