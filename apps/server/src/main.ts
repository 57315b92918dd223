import { loadConfig } from './config.js';
import { serve } from './serve.js';

// `npm start`: serve with the configuration from the environment; a bad variable stops here.
try {
  await serve(loadConfig());
} catch (error) {
  process.stderr.write(`upsync: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
