import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SYNC_PROPOSAL_PATH } from './rest/paths.js';

export const DEV_TOKEN_FILE = 'dev-token';
export const DEV_TOKEN_NAME = 'dev';

/**
 * The development token: created once under dataDir (mode 600) and reused by later starts.
 * Only used when no token is configured and the database is the embedded one.
 */
export async function ensureDevToken(
  dataDir: string,
): Promise<{ secret: string; file: string; created: boolean }> {
  const file = path.join(dataDir, DEV_TOKEN_FILE);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && existing.trim().length >= 16)
    return { secret: existing.trim(), file, created: false };
  await mkdir(dataDir, { recursive: true });
  const secret = `upsync_dev_${randomBytes(24).toString('base64url')}`;
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file, created: true };
}

/**
 * The banner printed at start-up (on stderr, never in the log): a curl that works pasted from the
 * repository root. The secret itself is shown once, on the start that created it; later starts
 * read it from its file in the curl (`$(cat …)`), so restarts do not repeat it wherever stderr goes.
 */
export function devTokenBanner(options: {
  secret: string;
  file: string;
  host: string;
  port: number;
  /** True on the start that created the token (default): show it. */
  created?: boolean;
}): string {
  const shown = options.created ?? true;
  const bearer = shown ? options.secret : `$(cat '${options.file}')`;
  const host = ['0.0.0.0', '::', ''].includes(options.host) ? '127.0.0.1' : options.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${options.port}`;
  return [
    '',
    ...(shown
      ? [
          '  upsync development token (no UPSYNC_API_TOKENS configured; kept in',
          `  ${options.file} and reused on restart; shown this once):`,
          '',
          `    ${options.secret}`,
          '',
        ]
      : [
          '  upsync development token: no UPSYNC_API_TOKENS configured; the token is in',
          `  ${options.file}`,
          '',
        ]),
    '  Try it from the repository root:',
    '',
    `    curl -H "Authorization: Bearer ${bearer}" -H 'Content-Type: application/json' \\`,
    `      --data @examples/pyispyb-create.json ${origin}${SYNC_PROPOSAL_PATH}`,
    '',
    `  API docs: ${origin}/docs/`,
    '',
  ].join('\n');
}
