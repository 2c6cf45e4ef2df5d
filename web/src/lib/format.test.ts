import { describe, expect, it } from 'vitest';
import { formatCountdown, formatMoney, formatWaitRange } from './format';

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
