import type { TSyncWarning } from '@upsync/schema';

export type WarningSink = (path: string, code: string, message: string) => void;

/** Collects warnings of one sync (key conflicts, duplicates found, values stripped). */
export function warningCollector(): { warnings: TSyncWarning[]; warn: WarningSink } {
  const warnings: TSyncWarning[] = [];
  return { warnings, warn: (path, code, message) => warnings.push({ path, code, message }) };
}
