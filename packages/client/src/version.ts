// This package's version, read from its manifest at build time (the bundler inlines it).
import manifest from '../package.json' with { type: 'json' };

/** The version of @upsync/client, printed by `upsync --version`. */
export const CLIENT_VERSION: string = manifest.version;
