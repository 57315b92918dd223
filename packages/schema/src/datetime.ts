import { type Checked, fail, ok, show } from './issue-codes.js';

// ISO 8601 calendar date, optionally with a time (T or space), fractional seconds and an offset.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Regex (JSON Schema `pattern`) of the datetimes accepted. */
export const DATETIME_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in month `m` (1-12) of year `y`, read as Date.UTC reads it (years 0-99 are 1900-1999). */
function daysInMonth(y: number, m: number): number {
  if (m !== 2) return DAYS_IN_MONTH[m - 1]!;
  const year = y >= 0 && y <= 99 ? 1900 + y : y;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

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

// `format` costs a third of `formatToParts` (no array of part objects). Its string is the parts
// joined, so once the parts of one instant show this exact layout, reading the string by position
// is the same as reading the parts; anything else (another ICU layout, years outside 4-5 digits)
// takes the parts path.
const EN_US_LAYOUT = /^(\d{2})\/(\d{2})\/(\d{4,5}), (\d{2}):(\d{2}):(\d{2})$/;
const LAYOUT_PARTS = 'month/day/year, hour:minute:second';
const layoutChecked = new WeakMap<Intl.DateTimeFormat, boolean>();

function hasEnUsLayout(clock: Intl.DateTimeFormat): boolean {
  let checked = layoutChecked.get(clock);
  if (checked === undefined) {
    const parts = clock.formatToParts(Date.UTC(2001, 10, 23, 12, 34, 56));
    checked = parts.map((p) => (p.type === 'literal' ? p.value : p.type)).join('') === LAYOUT_PARTS;
    layoutChecked.set(clock, checked);
  }
  return checked;
}

function fastWallClock(epochMs: number, clock: Intl.DateTimeFormat): number[] {
  const m = hasEnUsLayout(clock) ? EN_US_LAYOUT.exec(clock.format(epochMs)) : null;
  if (!m) return wallClock(epochMs, clock);
  return [Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4]) % 24, Number(m[5]), Number(m[6])];
}

const format = ([y, mo, d, h, mi, s]: number[]) =>
  `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)} ${pad(h!)}:${pad(mi!)}:${pad(s!)}`;

/** An instant as `YYYY-MM-DD HH:mm:ss` wall-clock time in the facility's time zone (ISPyB's datetime form). */
export function facilityDatetime(timeZone: string, at: Date = new Date()): string {
  return format(fastWallClock(at.getTime(), facilityClock(timeZone)));
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
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    return fail('invalid_datetime', `${show(value)}: there is no such date`);
  }
  if (y < 1000) {
    return fail(
      'out_of_range',
      `${show(value)} is outside the years 1000 to 9999 that a MySQL datetime holds`,
    );
  }
  if (h > 23 || mi > 59 || s > 59)
    return fail('invalid_datetime', `${show(value)}: there is no such time of day`);
  const offset = m[7];
  let fields = [y, mo, d, h, mi, s];
  if (offset !== undefined) {
    // The pattern leaves Z/z, ±HH, ±HHMM or ±HH:MM: the hours follow the sign, the minutes end it.
    const zulu = offset.length === 1;
    const sign = offset.charCodeAt(0) === 45 /* - */ ? -1 : 1;
    const oh = zulu ? 0 : Number(offset.slice(1, 3));
    const om = offset.length > 3 ? Number(offset.slice(-2)) : 0;
    if (oh > 23 || om > 59)
      return fail('invalid_datetime', `${show(value)}: the offset ${offset} is impossible`);
    const utc = Date.UTC(y, mo - 1, d, h, mi, s) - sign * (oh * 60 + om) * 60_000;
    // Date.UTC maps years 0-99 to 1900-1999; ISPyB's datetime range (1000-9999) is checked below anyway.
    fields = fastWallClock(utc, clock);
  }
  if (fields[0]! < 1000 || fields[0]! > 9999) {
    return fail(
      'out_of_range',
      `${show(value)} is outside the years 1000 to 9999 that a MySQL datetime holds`,
    );
  }
  return ok(format(fields));
}

// Portals resend the same proposals, so the same datetime strings come back request after request;
// the conversion is a pure function of the string and the zone, so its successes are remembered.
const conversions = new WeakMap<Intl.DateTimeFormat, Map<string, Checked<string>>>();
const MAX_REMEMBERED = 4096;

/** `toFacilityDatetime` for one clock, remembering the values it accepted. */
export function facilityDatetimeConverter(clock: Intl.DateTimeFormat): (value: unknown) => Checked<string> {
  let known = conversions.get(clock);
  if (!known) {
    known = new Map();
    conversions.set(clock, known);
  }
  const remembered = known;
  return (value) => {
    if (typeof value === 'string') {
      const hit = remembered.get(value);
      if (hit) return hit;
    }
    const result = toFacilityDatetime(value, clock);
    if (result.ok) {
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(value as string, result);
    }
    return result;
  };
}
