import { describe, expect, it } from 'vitest';
import { emptyTracker, track } from './rate';

describe('purchase rate', () => {
  it('derives purchases per second from the growing order count', () => {
    let t = track(emptyTracker, { at: '2026-11-25T10:00:00.000Z', ordersAccepted: 10 });
    expect(t.samples).toEqual([]);
    t = track(t, { at: '2026-11-25T10:00:01.000Z', ordersAccepted: 40 });
    t = track(t, { at: '2026-11-25T10:00:03.000Z', ordersAccepted: 50 });
    expect(t.samples).toEqual([{ t: 1, perSecond: 30 }, { t: 3, perSecond: 5 }]);
  });

  it('ignores a repeated or older reading and keeps a bounded history', () => {
    let t = track(emptyTracker, { at: '2026-11-25T10:00:00.000Z', ordersAccepted: 0 });
    t = track(t, { at: '2026-11-25T10:00:00.000Z', ordersAccepted: 5 });
    expect(t.samples).toEqual([]);
    for (let i = 1; i <= 10; i++) t = track(t, { at: new Date(Date.parse('2026-11-25T10:00:00Z') + i * 1000).toISOString(), ordersAccepted: i }, 4);
    expect(t.samples).toHaveLength(4);
    expect(t.samples.at(-1)).toEqual({ t: 10, perSecond: 1 });
  });
});
