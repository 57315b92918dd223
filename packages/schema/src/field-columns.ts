import type { IspybTable } from './column-limits.js';
import { DECLARATION, type FieldDeclaration, type PayloadEntity } from './declaration.js';

/** Where one payload field is stored. */
export interface FieldColumn {
  table: IspybTable;
  column: string;
}

export type FieldColumns = {
  [E in PayloadEntity]: { [F in keyof (typeof DECLARATION)[E]['fields']]: FieldColumn };
};

/**
 * Per payload entity, which scalar field is stored in which ISPyB column (a view of the
 * declaration). Nested objects (`laboratory`, `person`, `persons`, `session_options`, …) and
 * `passwd` (never written) are not listed.
 */
export const FIELD_COLUMNS = Object.fromEntries(
  Object.entries(DECLARATION).map(([entity, { table, fields }]) => [
    entity,
    Object.fromEntries(
      Object.entries(fields as Record<string, FieldDeclaration>).map(([name, f]) => [
        name,
        { table, column: f.column },
      ]),
    ),
  ]),
) as FieldColumns;

export type { PayloadEntity };
