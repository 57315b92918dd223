// Regenerates the committed openapi.json (the drift test compares it with the generated document).
import { writeFile } from 'node:fs/promises';
import { buildOpenApiDocument } from '../src/openapi.js';

const file = new URL('../openapi.json', import.meta.url);
await writeFile(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
