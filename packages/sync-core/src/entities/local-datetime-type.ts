import { Type } from '@mikro-orm/core';

/**
 * ISPyB's DATETIME/TIMESTAMP columns as the facility-local strings 'YYYY-MM-DD HH:mm:ss' the
 * payload parser produces: no JS Date, so no time-zone shifting, and a value read back compares
 * equal to the same value sent (an unchanged re-sync writes nothing). MikroORM would otherwise
 * map these column types to Dates (numbers on SQLite).
 */
export class LocalDatetimeType extends Type<string | null, string | null> {
  override convertToJSValue(value: string | Date | null): string | null {
    if (value == null) return null;
    // mysql2 hands strings over (dateStrings); anything else is normalised to the same form
    return typeof value === 'string' ? value : value.toISOString().slice(0, 19).replace('T', ' ');
  }

  override getColumnType(): string {
    return 'datetime';
  }

  override compareAsType(): string {
    return 'string';
  }
}
