// Writes sync-proposal.schema.json (default limits); test/json-schema.test.ts fails when it drifts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syncProposalJsonSchema } from '../src/json-schema.js';

const target = fileURLToPath(new URL('../sync-proposal.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(syncProposalJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
