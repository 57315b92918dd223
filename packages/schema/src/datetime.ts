import { type Checked, fail, ok, show } from './issue-codes.js';

// ISO 8601 calendar date, optionally with a time (T or space), fractional seconds and an offset.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Regex (JSON Schema `pattern`) of the datetimes accepted. */
export const DATETIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

// Building an Intl.DateTimeFormat costs more than a whole validation; a facility has one zone.
const clocks = new Map<string, Intl.DateTimeFormat>();

/** A formatter of instants as wall-clock time in `timeZone`; throws RangeError for an unknown zone. */
export function facilityClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = newClock(timeZone);
    if (clocks.size < 64) clocks.set(timeZone, clock);
  }
  return clock;
}

function newClock(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

function wallClock(epochMs: number, clock: Intl.DateTimeFormat): number[] {
  const parts: Record<string, number> = {};
  for (const p of clock.formatToParts(epochMs)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return [parts.year!, parts.month!, parts.day!, parts.hour! % 24, parts.minute!, parts.second!];
}

const format = ([y, mo, d, h, mi, s]: number[]) =>
  `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)} ${pad(h!)}:${pad(mi!)}:${pad(s!)}`;

/** An instant as `YYYY-MM-DD HH:mm:ss` wall-clock time in the facility's time zone (ISPyB's datetime form). */
export function facilityDatetime(timeZone: string, at: Date = new Date()): string {
  return format(wallClock(at.getTime(), facilityClock(timeZone)));
}

/**
 * Converts an ISO 8601 datetime to `YYYY-MM-DD HH:mm:ss` in the facility's time zone: a value with
 * an offset is converted, one without is already facility local time. Fractional seconds are dropped.
 */
export function toFacilityDatetime(value: unknown, clock: Intl.DateTimeFormat): Checked<string> {
  if (typeof value !== 'string')
    return fail('invalid_datetime', `expected an ISO 8601 datetime string, got ${show(value)}`);
  const m = value.length <= 64 ? ISO.exec(value) : null;
  if (!m) {
    return fail(
      'invalid_datetime',
      `${show(value)} is not an ISO 8601 datetime such as 2022-05-20T14:09:20Z`,
    );
  }
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x)));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!)) {
    return fail('invalid_datetime', `${show(value)}: there is no such date`);
  }
  if (y! < 1000) {
    return fail(
      'out_of_range',
      `${show(value)} is outside the years 1000 to 9999 that a MySQL datetime holds`,
    );
  }
  if (h > 23 || mi > 59 || s > 59)
    return fail('invalid_datetime', `${show(value)}: there is no such time of day`);
  const offset = m[7];
  let fields = [y!, mo!, d!, h, mi, s];
  if (offset !== undefined) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.replace(/[^0-9]/g, '');
    const oh = Number(digits.slice(0, 2) || 0);
    const om = Number(digits.slice(2) || 0);
    if (oh > 23 || om > 59)
      return fail('invalid_datetime', `${show(value)}: the offset ${offset} is impossible`);
    const utc = Date.UTC(y!, mo! - 1, d!, h, mi, s) - sign * (oh * 60 + om) * 60_000;
    // Date.UTC maps years 0-99 to 1900-1999; ISPyB's datetime range (1000-9999) is checked below anyway.
    fields = wallClock(utc, clock);
  }
  if (fields[0]! < 1000 || fields[0]! > 9999) {
    return fail(
      'out_of_range',
      `${show(value)} is outside the years 1000 to 9999 that a MySQL datetime holds`,
    );
  }
  return ok(format(fields));
}
