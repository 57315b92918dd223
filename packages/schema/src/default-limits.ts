import type { ColumnFacts, ColumnLimits, IspybTable } from './column-limits.js';

// Shorthands for the official schema's column types (ispyb-tables.md).
const v = (maxLength: number, extra: ColumnFacts = {}): ColumnFacts => ({
  maxLength,
  nullable: true,
  present: true,
  ...extra,
});
const TEXT = 65535;
const num = (nullable = true): ColumnFacts => ({ nullable, present: true });
const latin1 = { latin1: true } as const;

/** Column facts of the official ISPyB schema (ispyb/ispyb-database at e378c95), the validation defaults. */
export const DEFAULT_COLUMN_LIMITS = {
  Laboratory: {
    name: v(45),
    address: v(255),
    city: v(45),
    country: v(45),
    url: v(255),
    laboratoryExtPk: num(),
  },
  Person: {
    siteId: num(),
    personUUID: v(45),
    familyName: v(100),
    givenName: v(45),
    title: v(45),
    emailAddress: v(60),
    phoneNumber: v(45, { utf8mb3: true }),
    login: v(45),
    passwd: v(45),
    faxNumber: v(45),
    externalId: num(),
  },
  Proposal: {
    title: v(200),
    proposalCode: v(45, latin1),
    proposalNumber: v(45, latin1),
    proposalType: v(2, latin1),
    externalId: num(),
    state: { enumValues: ['Open', 'Closed', 'Cancelled'], nullable: true, present: true },
  },
  ProposalHasPerson: {},
  LabContact: {
    cardName: v(40, { ...latin1, nullable: false }),
    defaultCourrierCompany: v(45, latin1),
    courierAccount: v(45, latin1),
    billingReference: v(45, latin1),
    dewarAvgCustomsValue: num(false),
    dewarAvgTransportValue: num(false),
  },
  Protein: {
    name: v(255),
    acronym: v(45),
    description: v(TEXT),
    hazardGroup: num(false),
    containmentLevel: num(false),
    safetyLevel: { enumValues: ['GREEN', 'YELLOW', 'RED'], nullable: true, present: true },
    molecularMass: num(),
    proteinType: v(45),
    sequence: v(TEXT),
    isCreatedBySampleSheet: num(),
    externalId: num(),
    componentTypeId: num(),
    modId: v(20),
    concentrationTypeId: num(),
  },
  BLSession: {
    expSessionPk: num(),
    projectCode: v(45, latin1),
    startDate: num(),
    endDate: num(),
    beamLineName: v(45, latin1),
    scheduled: num(),
    nbShifts: num(),
    comments: v(2000, latin1),
    beamLineOperator: v(255, latin1),
    visit_number: num(),
    usedFlag: num(),
    sessionTitle: v(255, latin1),
    structureDeterminations: num(),
    dewarTransport: num(),
    databackupFrance: num(),
    databackupEurope: num(),
    operatorSiteNumber: v(10, latin1),
    lastUpdate: num(false),
    protectedData: v(1024, latin1),
    externalId: num(),
    nbReimbDewars: num(),
  },
  Session_has_Person: {
    role: {
      enumValues: [
        'Local Contact',
        'Local Contact 2',
        'Staff',
        'Team Leader',
        'Co-Investigator',
        'Principal Investigator',
        'Alternate Contact',
      ],
      nullable: true,
      present: true,
    },
    remote: num(),
  },
} as const satisfies Required<ColumnLimits>;

/** Resolved facts of every column: the defaults with `limits` merged over them column by column. */
export type ResolvedLimits = { [T in IspybTable]: Record<string, ColumnFacts> };

/** Merges `limits` over `DEFAULT_COLUMN_LIMITS`, column by column (a given column's facts override the default's). */
export function resolveLimits(limits: ColumnLimits = {}): ResolvedLimits {
  const out = {} as ResolvedLimits;
  for (const table of Object.keys(DEFAULT_COLUMN_LIMITS) as IspybTable[]) {
    const merged: Record<string, ColumnFacts> = { ...DEFAULT_COLUMN_LIMITS[table] };
    for (const [column, facts] of Object.entries(limits[table] ?? {})) {
      merged[column] = { ...merged[column], ...facts };
    }
    out[table] = merged;
  }
  return out;
}
