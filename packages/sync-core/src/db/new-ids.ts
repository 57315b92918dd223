/**
 * Ids of rows a transaction has queued for insertion but not yet sent.
 *
 * The sync's writes depend on each other's ids (a person's laboratoryId, a session's proposalId,
 * …), and every round trip is expensive (a write system call on each side, a wake-up of each
 * process). So a new row gets a *provisional* id at once — a negative number, which no ISPyB row
 * has, so every comparison with existing rows stays correct — and the statements that reference
 * it carry it as a reference:
 *
 * - when its INSERT has already returned, the reference is the real id;
 * - on MariaDB, when its INSERT travels earlier in the same multi-statement round trip, the
 *   reference is read from a session variable that the INSERT's RETURNING clause fills
 *   (`@upsync_new_ids`, the transaction's new ids in insertion order: "17,18,40");
 * - otherwise (SQLite, MySQL without RETURNING, or beyond `INLINE_LIMIT` ids) the reference cannot
 *   be expressed yet, and the orchestrator's `settle()` sends what is queued first.
 */
export const NEW_IDS_VARIABLE = '@upsync_new_ids';

/**
 * How many new ids one transaction may reference through the variable. Each reference scans the
 * list (SUBSTRING_INDEX): a bound keeps a huge payload from costing quadratic time; past it the
 * sync takes one more round trip per dependent step instead.
 */
export const INLINE_LIMIT = 256;

/** A reference to a new row's id, rendered into SQL when its statement is sent. */
export class NewIdRef {
  value: number | undefined;

  constructor(
    readonly provisional: number,
    /** Position in `@upsync_new_ids`, when the INSERT fills it. */
    readonly position: number | undefined,
    /** Other rows may reference it (a person's id); else only the sync's report needs it. */
    readonly referenced: boolean,
  ) {}

  /** Whether a statement sent now could carry it. */
  get expressible(): boolean {
    return this.value !== undefined || this.position !== undefined;
  }

  /** The real id; a reference to a row not inserted yet is a bug in the caller's ordering. */
  resolved(): number {
    if (this.value === undefined)
      throw new Error(`new id ${this.provisional} is referenced before it is known`);
    return this.value;
  }

  /** mysql2's formatter calls this for an object value: the real id, or the variable's entry. */
  toSqlString(): string {
    if (this.value !== undefined) return String(this.value);
    if (this.position === undefined) return String(this.resolved());
    // the n-th comma-separated entry of the list
    return `CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(${NEW_IDS_VARIABLE}, ',', ${this.position + 1}), ',', -1) AS UNSIGNED)`;
  }
}

/** One transaction's provisional ids. */
export class NewIds {
  readonly #refs = new Map<number, NewIdRef>();
  #inlined = 0;

  /**
   * Provisional ids for `count` rows of one INSERT. `inline`: the INSERT appends its ids to the
   * variable (granted while the transaction stays under INLINE_LIMIT; else the refs wait for the
   * INSERT's result). `first`: this INSERT is the variable's first use in the transaction (reset it).
   * `referenced`: other rows may reference these ids.
   */
  allocate(
    count: number,
    inline: boolean,
    referenced: boolean,
  ): { refs: NewIdRef[]; inlined: boolean; first: boolean } {
    const inlined = inline && this.#inlined + count <= INLINE_LIMIT;
    const first = inlined && this.#inlined === 0;
    const refs = Array.from({ length: count }, (_, i) => {
      const ref = new NewIdRef(-(this.#refs.size + 1), inlined ? this.#inlined + i : undefined, referenced);
      this.#refs.set(ref.provisional, ref);
      return ref;
    });
    if (inlined) this.#inlined += count;
    return { refs, inlined, first };
  }

  /** The reference behind a provisional id, or undefined for a real (positive) id or any other value. */
  ref(value: unknown): NewIdRef | undefined {
    return typeof value === 'number' && value < 0 ? this.#refs.get(value) : undefined;
  }

  /** Whether some id that other rows may reference could not be rendered into a statement now. */
  get pending(): boolean {
    for (const ref of this.#refs.values()) if (ref.referenced && !ref.expressible) return true;
    return false;
  }

  /** The real id of `id` (provisional ids once their INSERT has returned; real ids as they are). */
  real(id: number): number {
    const ref = this.ref(id);
    if (!ref) return id;
    return ref.resolved();
  }
}
