import { describe, expect, it } from 'vitest';
import { formatCountdown, formatDuration, formatMoney, formatWaitRange, orderCode, parseId, plural } from './format';

describe('format', () => {
  it('counts down with a fixed width', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(3_600_000 + 1_000)).toBe('01:00:01');
    expect(formatCountdown(2 * 86_400_000 + 5_000)).toBe('2 d 00:00:05');
    expect(formatCountdown(-5)).toBe('00:00');
    expect(formatCountdown(1)).toBe('00:01');
  });

  it('says the wait as a range in words', () => {
    expect(formatWaitRange(30, 60)).toBe('30 seconds to 1 minute');
    expect(formatWaitRange(120, 300)).toBe('2 minutes to 5 minutes');
    expect(formatWaitRange(61, 70)).toBe('about 1 minute');
    expect(formatWaitRange(0, 0)).toBe('less than a second');
  });

  it('formats minor units as money', () => {
    expect(formatMoney(4900, 'EUR')).toBe('€49.00');
  });
});

describe('words', () => {
  it('counts in words, never "unit(s)"', () => {
    expect(plural(1, 'unit')).toBe('1 unit');
    expect(plural(3, 'unit')).toBe('3 units');
  });

  it('says durations as a person would: one minute is not "1 minutes" nor "a few minutes"', () => {
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(600)).toBe('10 minutes');
    expect(formatDuration(90)).toBe('1 minute 30 seconds');
    expect(formatDuration(30)).toBe('30 seconds');
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(5400)).toBe('1 hour 30 minutes');
  });

  it('gives an order a short code from the end of its id, distinct for orders of one drop', () => {
    expect(orderCode('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('2E3F-4A5B');
    expect(orderCode('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c')).not.toBe(orderCode('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'));
  });

  it('reads a path id only when it is a canonical positive number', () => {
    expect(parseId('42')).toBe(42);
    for (const bad of ['abc', '03', '0', '-1', '1e3', '', undefined, '4.2']) expect(parseId(bad)).toBeNull();
  });
});
