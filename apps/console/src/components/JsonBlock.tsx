import { showJson } from '../format.js';

/** A JSON value shown as given, in a named region; focusable so that a keyboard can scroll it. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <section aria-label={label}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre class="json" tabIndex={0}>
        {showJson(value)}
      </pre>
    </section>
  );
}
