// The packages' version, read from this package's manifest at build time (the bundler inlines
// it): `upsync --version`, the server's OpenAPI `info.version` and the published packages agree.
import manifest from '../package.json' with { type: 'json' };

/** The version of @upsync/schema (and of @upsync/client, released together with it). */
export const VERSION: string = manifest.version;
