import { type EntityProperty, type Platform, Type } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';

/** ISPyB's `binary(16)` externalId columns, as Buffers (a blob on SQLite). */
export class Binary16Type extends Type<Buffer | null, Buffer | null> {
  override convertToJSValue(value: Buffer | Uint8Array | null): Buffer | null {
    // mysql2 returns Buffers, node:sqlite Uint8Arrays: one type for both
    return value == null ? null : Buffer.from(value);
  }

  // the embedded database's DDL is generated from the entities: a blob there (BLOB affinity)
  override getColumnType(_prop: EntityProperty, platform: Platform): string {
    return platform instanceof SqlitePlatform ? 'blob' : 'binary(16)';
  }

  override compareAsType(): string {
    return 'Buffer';
  }
}
