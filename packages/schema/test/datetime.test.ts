import { describe, expect, it } from 'vitest';
import { facilityClock, toFacilityDatetime } from '../src/datetime.js';

const at = (value: unknown, zone = 'UTC') => {
  const r = toFacilityDatetime(value, facilityClock(zone));
  return r.ok ? r.value : r.code;
};

describe('datetimes', () => {
  it.each([
    ['2022-05-20T14:09:20.340Z', 'UTC', '2022-05-20 14:09:20'],
    ['2022-05-20T14:09:20.999Z', 'UTC', '2022-05-20 14:09:20'],
    ['2022-05-20T14:09:20Z', 'Europe/Berlin', '2022-05-20 16:09:20'],
    ['2022-01-20T14:09:20Z', 'Europe/Berlin', '2022-01-20 15:09:20'],
    ['2022-05-20T14:09:20-0500', 'UTC', '2022-05-20 19:09:20'],
    ['2022-05-20T23:30:00-05:00', 'UTC', '2022-05-21 04:30:00'],
    ['2022-05-20T14:09:20', 'Europe/Berlin', '2022-05-20 14:09:20'],
    ['2022-05-20 14:09', 'UTC', '2022-05-20 14:09:00'],
    ['2022-05-20', 'UTC', '2022-05-20 00:00:00'],
    ['2024-02-29T00:00:00Z', 'UTC', '2024-02-29 00:00:00'],
    ['2022-03-27T01:30:00Z', 'Europe/Paris', '2022-03-27 03:30:00'],
  ])('%s in %s → %s', (input, zone, expected) => {
    expect(at(input, zone)).toBe(expected);
  });

  it.each([
    ['2022-02-30T10:00:00Z', 'invalid_datetime'],
    ['2023-02-29', 'invalid_datetime'],
    ['2022-13-01', 'invalid_datetime'],
    ['2022-05-20T24:00:00Z', 'invalid_datetime'],
    ['2022-05-20T14:09:60Z', 'invalid_datetime'],
    ['2022-05-20T14:09:20+25:00', 'invalid_datetime'],
    ['20/05/2022', 'invalid_datetime'],
    ['yesterday', 'invalid_datetime'],
    [1653055760, 'invalid_datetime'],
    ['0050-01-01T00:00:00Z', 'out_of_range'],
    ['9999-12-31T23:00:00-05:00', 'out_of_range'],
  ])('refuses %j (%s)', (input, code) => {
    expect(at(input)).toBe(code);
  });
});
