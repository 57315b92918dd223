/**
 * Payload generators for the benchmark and the reliability suite.
 * Structure comes from a seeded PRNG (deterministic); identity keys come from a namespace
 * and a counter, so two runs (or two generators) never collide unless they share a pool on purpose.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** mulberry32: a small, fast, seeded PRNG (deterministic across runs and platforms). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max], inclusive. */
export function randInt(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const GIVEN = [
  'Amity',
  'Kirk',
  'Sherri',
  'Michael',
  'Saim',
  'Jaspal',
  'Ines',
  'Ola',
  'Chen',
  'Marta',
  'Yusuf',
];
const FAMILY = [
  'Weaver',
  'Chambers',
  'Quinlan',
  'Lingle',
  'Gross',
  'Bernal',
  'Moreau',
  'Berg',
  'Li',
  'Kowalski',
];
const CITIES: readonly [string, string][] = [
  ['HAMBURG', 'DE'],
  ['GRENOBLE', 'FR'],
  ['LUND', 'SE'],
  ['BARCELONA', 'ES'],
  ['DIDCOT', 'GB'],
  ['VILLIGEN', 'CH'],
];
const BEAMLINES = ['P11', 'P13', 'P14', 'ID23-1', 'ID30B', 'BioMAX', 'I04'];
const ROLES = ['Team Leader', 'Co-Investigator', 'Principal Investigator', 'Local Contact', 'Staff'] as const;

/** Options of a generator: `namespace` makes keys unique per run (letters/digits, ≤ 12 chars). */
export interface PayloadFactoryOptions {
  seed?: number;
  namespace?: string;
  /** First integer used for externalIds, laboratoryExtPk and expSessionPk (default 1,000,000,000). */
  keyBase?: number;
  /** Size of the shared pools of persons and laboratories that realistic proposals draw from. */
  sharedPersons?: number;
  sharedLabs?: number;
}

/** Creates typical and realistic proposals with unique keys (see the module comment). */
export class PayloadFactory {
  private readonly rng: () => number;
  private readonly ns: string;
  private counter: number;
  private readonly labPool: JsonObject[];
  private readonly personPool: JsonObject[];

  constructor(options: PayloadFactoryOptions = {}) {
    this.rng = createRng(options.seed ?? 42);
    this.ns = options.namespace ?? defaultNamespace();
    this.counter = options.keyBase ?? 1_000_000_000;
    this.labPool = Array.from({ length: options.sharedLabs ?? 40 }, () => this.newLab());
    this.personPool = Array.from({ length: options.sharedPersons ?? 300 }, () => this.newPerson(true));
  }

  /** The namespace mixed into every string key. */
  get namespace(): string {
    return this.ns;
  }

  private next(): number {
    this.counter += 1;
    return this.counter;
  }

  private newLab(): JsonObject {
    const k = this.next();
    const [city, country] = pick(this.rng, CITIES);
    const lab: JsonObject = { name: `Lab ${this.ns} ${k}`, city, country, address: `${k} Science Road` };
    if (this.rng() < 0.6) lab.laboratoryExtPk = k % 2_000_000_000;
    return lab;
  }

  private newPerson(withLab: boolean): JsonObject {
    const k = this.next();
    const person: JsonObject = {
      givenName: pick(this.rng, GIVEN),
      familyName: pick(this.rng, FAMILY),
      externalId: k,
      login: `${this.ns}u${k}`,
      emailAddress: `u${k}@example.org`,
    };
    if (withLab) person.laboratory = structuredClone(pick(this.rng, this.labPool));
    return person;
  }

  /**
   * The typical small proposal, shaped like examples/pyispyb-create.json: 3 persons, 2 lab contacts
   * (one of them a proposal person), 2 sessions with 2 persons each, 2 proteins; 6 distinct persons,
   * 3 laboratories (two keyed by laboratoryExtPk, one by name+city+country). Everything is new.
   */
  typical(): JsonObject {
    const n = () => this.next();
    const labA: JsonObject = {
      name: `DESY ${this.ns}${n()}`,
      city: 'HAMBURG',
      country: 'DE',
      address: 'Notkestr. 85\n22706',
      laboratoryExtPk: n() % 2_000_000_000,
    };
    const labB: JsonObject = {
      name: `Lab0 ${this.ns}${n()}`,
      city: 'GRENOBLE',
      country: 'FR',
      address: '71 avenue des Martyrs\nCS 40220\n38043\n',
    };
    const labC: JsonObject = {
      name: `MAXIV ${this.ns}${n()}`,
      city: 'LUND',
      country: 'SE',
      address: 'Fotongatan 2\n224 84',
      laboratoryExtPk: n() % 2_000_000_000,
    };
    const person = (given: string, family: string, lab?: JsonObject, extra: JsonObject = {}): JsonObject => {
      const k = n();
      const p: JsonObject = {
        givenName: given,
        familyName: family,
        externalId: k,
        login: `${this.ns}u${k}`,
        emailAddress: 'test@test.test',
        ...extra,
      };
      if (lab) p.laboratory = lab;
      return p;
    };
    const amity = person('Amity', 'Weaver', labA, { title: 'Dr.' });
    const kirk = person('Kirk', 'Chambers', labB);
    const sherri = person('Sherri', 'Quinlan');
    const michael = person('Michael', 'Lingle', labC);
    const saim = person('Saim', 'Gross', labA);
    const jaspal = person('Jaspal', 'Bernal', undefined, { title: 'Dr.', phoneNumber: '+123456789' });
    const c = structuredClone;
    const sessionPersons = (): Json[] => [
      { ...c(saim), session_options: { role: 'Local Contact', remote: 0 } },
      { ...c(jaspal), session_options: { role: 'Principal Investigator', remote: 1 } },
    ];
    const session = (title: string, start: string, end: string): JsonObject => ({
      startDate: start,
      endDate: end,
      beamLineName: 'P11',
      scheduled: 1,
      nbShifts: 2,
      comments: `Testing ${title}`,
      beamLineOperator: 'Kaye Wiley',
      visit_number: 0,
      usedFlag: 0,
      sessionTitle: title,
      structureDeterminations: 0,
      dewarTransport: 0,
      databackupFrance: 0,
      databackupEurope: 0,
      operatorSiteNumber: '234',
      nbReimbDewars: 0,
      persons: sessionPersons(),
    });
    const number = n();
    return {
      proposal: {
        title: 'Proposal title',
        proposalCode: 'MX',
        proposalNumber: `${this.ns}${number}`,
        proposalType: 'MX',
        externalId: number,
        persons: [c(amity), c(kirk), c(sherri)],
        labcontacts: [
          { cardName: `DESY - Amity Weaver ${number}`.slice(0, 40), person: c(amity) },
          { cardName: `MAXIV - Michael Lingle ${number}`.slice(0, 40), person: c(michael) },
        ],
      },
      sessions: [
        { externalId: n(), ...session('Session 1', '2022-05-20T14:09:20.340Z', '2022-05-21T14:09:20.340Z') },
        {
          expSessionPk: n() % 4_000_000_000,
          ...session('Session 2', '2022-06-20T16:09:20.340Z', '2022-06-21T16:09:20.340Z'),
        },
      ],
      proteins: [
        {
          name: 'Peralosyde Ratrei',
          acronym: 'P4R2',
          hazardGroup: 1,
          containmentLevel: 1,
          externalId: n(),
          person: c(amity),
        },
        { name: 'Dithiothreitol', acronym: 'DTT5', hazardGroup: 1, containmentLevel: 1, person: c(amity) },
      ],
    };
  }

  /**
   * A realistic proposal: 3–10 persons (about a third from the shared pool, so proposals overlap),
   * 2–5 sessions of 1–4 of those persons, 1–3 proteins, 1–2 lab contacts.
   */
  realistic(): JsonObject {
    const rng = this.rng;
    const persons: JsonObject[] = [];
    const seen = new Set<Json | undefined>();
    const count = randInt(rng, 3, 10);
    while (persons.length < count) {
      const p = rng() < 0.33 ? pick(rng, this.personPool) : this.newPerson(rng() < 0.8);
      if (seen.has(p.externalId)) continue;
      seen.add(p.externalId);
      persons.push(p);
    }
    const c = structuredClone;
    const number = this.next();
    const sessions: Json[] = Array.from({ length: randInt(rng, 2, 5) }, (_, i) => {
      const k = this.next();
      const start = new Date(Date.UTC(2025, randInt(rng, 0, 11), randInt(rng, 1, 28), 8));
      const members = shuffled(rng, persons).slice(0, randInt(rng, 1, Math.min(4, persons.length)));
      const s: JsonObject = {
        startDate: start.toISOString(),
        endDate: new Date(start.getTime() + 86_400_000).toISOString(),
        beamLineName: pick(rng, BEAMLINES),
        scheduled: 1,
        nbShifts: randInt(rng, 1, 9),
        sessionTitle: `Visit ${i + 1}`,
        visit_number: i + 1,
        persons: members.map((m) => ({
          ...c(m),
          session_options: { role: pick(rng, ROLES), remote: randInt(rng, 0, 1) },
        })),
      };
      if (rng() < 0.8) s.externalId = k;
      else s.expSessionPk = k % 4_000_000_000;
      return s;
    });
    const proteins: Json[] = Array.from({ length: randInt(rng, 1, 3) }, (_, i) => {
      const pr: JsonObject = {
        acronym: `PR${i}x${number % 100000}`,
        name: `Protein ${i}`,
        person: c(pick(rng, persons)),
      };
      if (rng() < 0.7) pr.externalId = this.next();
      pr.safetyLevel = pick(rng, ['GREEN', 'YELLOW', 'RED']);
      return pr;
    });
    const contacts = shuffled(rng, persons).slice(0, randInt(rng, 1, 2));
    return {
      proposal: {
        title: `Realistic proposal ${number}`,
        proposalCode: pick(rng, ['MX', 'BX', 'IX']),
        proposalNumber: `${this.ns}${number}`,
        proposalType: 'MX',
        externalId: number,
        state: 'Open',
        persons: persons.map((p) => c(p)),
        labcontacts: contacts.map((p, i) => ({
          cardName: `Card ${i} ${p.login}`.slice(0, 40),
          person: c(p),
        })),
      },
      sessions,
      proteins,
    };
  }
}

function shuffled<T>(rng: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A short namespace unique enough per run: base-36 time plus 2 random characters. */
export function defaultNamespace(): string {
  return (Date.now() % 36 ** 6).toString(36) + Math.floor(Math.random() * 1296).toString(36);
}
