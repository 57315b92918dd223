/**
 * What a principal may do. `sync`: sync, dry run and the payload schema; `read`: read-back of a
 * proposal and the sync history (personal data of every proposal); `reconcile`: syncs that delete
 * relations the payload no longer lists.
 */
export const SCOPES = ['sync', 'read', 'reconcile'] as const;
export type Scope = (typeof SCOPES)[number];

/** A service token without an explicit scope list may sync, and nothing more. */
export const DEFAULT_SCOPES: readonly Scope[] = ['sync'];

/**
 * py-ISPyB login permissions → scopes. `uportal_sync` is py-ISPyB's own permission on these
 * routes; the other two are upsync's, to be granted to a py-ISPyB group like any permission.
 */
export const PERMISSION_SCOPES: Readonly<Record<string, Scope>> = {
  uportal_sync: 'sync',
  uportal_sync_read: 'read',
  uportal_sync_reconcile: 'reconcile',
};

/** The scopes a list of py-ISPyB permissions grants (unknown permissions grant nothing). */
export function scopesFromPermissions(permissions: readonly string[]): Scope[] {
  const scopes = new Set<Scope>();
  for (const permission of permissions) {
    const scope = Object.hasOwn(PERMISSION_SCOPES, permission) ? PERMISSION_SCOPES[permission] : undefined;
    if (scope) scopes.add(scope);
  }
  return SCOPES.filter((s) => scopes.has(s));
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
