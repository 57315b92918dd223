import { syncProposalJsonSchema } from '@upsync/schema';
import type { UpsyncClient } from '../types.js';
import { type CliIo, writeLine } from './io.js';

/** `upsync schema`: the payload's JSON Schema, built offline or fetched from a server. */
export async function schemaCommand(client: UpsyncClient | undefined, io: CliIo): Promise<number> {
  const schema = client ? await client.schema() : syncProposalJsonSchema();
  writeLine(io.stdout, JSON.stringify(schema, null, 2));
  return 0;
}
