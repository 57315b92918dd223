import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { ConfigError } from '../config.js';
import { DEFAULT_SCOPES, SCOPES, type Scope, scopesFromPermissions } from './scopes.js';

/** A service token as the server keeps it: the SHA-256 of the secret, never the secret. */
export interface ServiceToken {
  name: string;
  sha256: Buffer;
  scopes: readonly Scope[];
}

const ZTokenFile = z.array(
  z.object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (sha256 of the secret)'),
    scopes: z.array(z.enum(SCOPES)).optional(),
    /** py-ISPyB permission names, mapped like a JWT's (`uportal_sync` → sync); `scopes` wins. */
    permissions: z.array(z.string().min(1)).optional(),
  }),
);

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Tokens from `name:secret[:scope+scope]` entries (UPSYNC_API_TOKENS); without scopes: `sync` only. */
export function tokensFromPairs(
  pairs: readonly { name: string; secret: string; scopes?: readonly Scope[] | undefined }[],
): ServiceToken[] {
  return pairs.map(({ name, secret, scopes }) => ({
    name,
    sha256: sha256(secret),
    scopes: scopes ?? DEFAULT_SCOPES,
  }));
}

/** Reads UPSYNC_API_TOKENS_FILE: a JSON list of `{ name, sha256, scopes?, permissions? }`. */
export async function readTokenFile(file: string): Promise<ServiceToken[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError(`Invalid configuration: UPSYNC_API_TOKENS_FILE (${file}) ${why}`);
  }
  const parsed = ZTokenFile.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(
      `Invalid configuration: UPSYNC_API_TOKENS_FILE (${file}) at [${first?.path.join('.')}]: ${first?.message}`,
    );
  }
  return parsed.data.map((t) => ({
    name: t.name,
    sha256: Buffer.from(t.sha256, 'hex'),
    scopes: t.scopes ?? (t.permissions ? scopesFromPermissions(t.permissions) : DEFAULT_SCOPES),
  }));
}

/**
 * Finds the token whose secret is `presented`. Compares digests in constant time and always
 * walks the whole list, so timing reveals neither the secret nor which entry matched.
 */
export function matchServiceToken(
  tokens: readonly ServiceToken[],
  presented: string,
): ServiceToken | undefined {
  const digest = sha256(presented);
  let found: ServiceToken | undefined;
  for (const token of tokens) {
    if (timingSafeEqual(token.sha256, digest) && found === undefined) found = token;
  }
  return found;
}

/** The tokens the configuration names (UPSYNC_API_TOKENS and UPSYNC_API_TOKENS_FILE). */
export async function configuredTokens(config: {
  apiTokens: readonly { name: string; secret: string; scopes?: readonly Scope[] | undefined }[];
  apiTokensFile: string | undefined;
}): Promise<ServiceToken[]> {
  const tokens = tokensFromPairs(config.apiTokens);
  if (config.apiTokensFile) tokens.push(...(await readTokenFile(config.apiTokensFile)));
  return tokens;
}
