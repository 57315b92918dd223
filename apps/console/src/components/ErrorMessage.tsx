import { describeError } from '../errors.js';

/** A failed call, said in one sentence, announced to screen readers. */
export function ErrorMessage({ error, action }: { error: unknown; action?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {describeError(error, action)}
    </p>
  );
}
