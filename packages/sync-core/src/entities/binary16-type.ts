import { Type } from '@mikro-orm/core';

/** ISPyB's `binary(16)` externalId columns, as Buffers (a blob on SQLite). */
export class Binary16Type extends Type<Buffer | null, Buffer | null> {
  override convertToDatabaseValue(value: Buffer | null): Buffer | null {
    return value;
  }

  override convertToJSValue(value: Buffer | Uint8Array | null): Buffer | null {
    // mysql2 returns Buffers, node:sqlite Uint8Arrays: one type for both
    return value == null ? null : Buffer.from(value);
  }

  // SQLite accepts any declared type; upsync never generates DDL from this mapping anyway
  override getColumnType(): string {
    return 'binary(16)';
  }

  override compareAsType(): string {
    return 'Buffer';
  }
}
