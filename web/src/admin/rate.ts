import type { SaleStats } from '../api/types';

export interface RateSample {
  /** Seconds since the dashboard opened. */
  t: number;
  perSecond: number;
}

export interface RateTracker {
  start: number | null;
  last: { at: number; orders: number } | null;
  samples: RateSample[];
}

export const emptyTracker: RateTracker = { start: null, last: null, samples: [] };

/** Purchases per second between two readings of the ever-growing ordersAccepted; keeps the last `keep` samples. */
export function track(tracker: RateTracker, stats: Pick<SaleStats, 'at' | 'ordersAccepted'>, keep = 120): RateTracker {
  const at = Date.parse(stats.at);
  if (tracker.last && at <= tracker.last.at) return tracker;
  const start = tracker.start ?? at;
  if (!tracker.last) return { start, last: { at, orders: stats.ordersAccepted }, samples: [] };
  const seconds = (at - tracker.last.at) / 1000;
  const perSecond = Math.max(0, stats.ordersAccepted - tracker.last.orders) / seconds;
  const sample = { t: Math.round((at - start) / 100) / 10, perSecond: Math.round(perSecond * 100) / 100 };
  return { start, last: { at, orders: stats.ordersAccepted }, samples: [...tracker.samples, sample].slice(-keep) };
}
