import type { Declaration, PayloadEntity } from '@upsync/schema';
import type { IspybEntityName, Tables } from './build-entities.js';

// The type of each ISPyB row as sync-core's entities hold it, derived from the declaration (the
// payload fields) and TABLES (ids, relations, unsynced columns): a misspelt column fails to compile.

/** How a column of the kind is held: binary(16) as bytes, text-like as strings, numbers as numbers. */
type ValueOf<K> = K extends 'externalId'
  ? Buffer
  : K extends 'text' | 'enum' | 'datetime' | 'timestamp'
    ? string
    : number;

type EntityOfTable<N> = {
  [E in PayloadEntity]: Declaration[E]['table'] extends N ? E : never;
}[PayloadEntity];
type DeclaredFields<N> = Declaration[EntityOfTable<N>]['fields'];
type Unsynced<N extends IspybEntityName> = Tables[N]['unsynced'];
type Relations<N extends IspybEntityName> = Tables[N]['relations'];

/** The columns a payload field or an unsynced column fills (absent when the database lacks it). */
type ValueColumns<N extends IspybEntityName> = {
  -readonly [F in keyof DeclaredFields<N>]?: KindOf<DeclaredFields<N>[F]> | null;
} & { -readonly [C in keyof Unsynced<N>]?: KindOf<Unsynced<N>[C]> | null };

type KindOf<C> = C extends { kind: infer K } ? ValueOf<K> : never;

/** The auto-increment id (undefined until a new row is flushed). */
type IdColumn<N extends IspybEntityName> = Tables[N] extends { id: infer I extends string }
  ? { [C in I]?: number }
  : unknown;

type Target<N extends IspybEntityName, R extends keyof Relations<N>> = Relations<N>[R] extends {
  target: infer T extends IspybEntityName;
}
  ? T
  : never;

/** A managed ISPyB row: its columns by property name, its relations as the managed rows they point to. */
export type Row<N extends IspybEntityName> = IdColumn<N> &
  ValueColumns<N> & {
    -readonly [R in keyof Relations<N>]: Relations<N>[R] extends { nullable: true }
      ? Row<Target<N, R>> | null
      : Row<Target<N, R>>;
  };

/** ISPyB's tables as SQL sees them (relations by their columns), for the look-ups' Kysely builder. */
export type IspybDb = {
  [N in IspybEntityName]: Required<IdColumn<N> & ValueColumns<N>> & {
    -readonly [R in keyof Relations<N> as Relations<N>[R] extends { column: infer C extends string }
      ? C
      : never]: number | null;
  };
};
