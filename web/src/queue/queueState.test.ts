import { describe, expect, it } from 'vitest';
import { initialQueueState, progress, queueReducer, type QueueState } from './queueState';
import type { ServerMessage } from './messages';

const apply = (state: QueueState, ...messages: ServerMessage[]) =>
  messages.reduce((s, message) => queueReducer(s, { kind: 'message', message }), state);

describe('queueReducer', () => {
  it('tracks position, wait range and where the shopper started', () => {
    const state = apply(initialQueueState(),
      { type: 'position', ahead: 40, queueLength: 100, waitSeconds: { min: 30, max: 60 }, admittedPerMinute: 80 },
      { type: 'position', ahead: 10, queueLength: 90, waitSeconds: { min: 5, max: 15 }, admittedPerMinute: 80 });
    expect(state.ahead).toBe(10);
    expect(state.firstAhead).toBe(40);
    expect(state.waitSeconds).toEqual({ min: 5, max: 15 });
    expect(progress(state)).toBeCloseTo(30 / 41);
  });

  it('keeps the remembered start after a reload so the progress bar does not restart', () => {
    const state = apply(initialQueueState(40),
      { type: 'position', ahead: 20, queueLength: 50, waitSeconds: { min: 10, max: 20 }, admittedPerMinute: 60 });
    expect(state.firstAhead).toBe(40);
  });

  it('keeps the shopper’s ticket in the draw, and a new visit forgets it', () => {
    const draw = { ticketId: '3f9c0a1b2c3d4e5f', commitment: 'ab'.repeat(32), revealAt: '2026-12-01T18:00:00Z' };
    const state = apply(initialQueueState(), { type: 'draw', ...draw });
    expect(state.draw).toEqual(draw);
    expect(queueReducer(state, { kind: 'reset', at: 1 }).draw).toBeNull();
  });

  it('admission fills the bar and carries the token and window', () => {
    const state = apply(initialQueueState(), { type: 'admitted', token: 'jwt', windowEndsAt: '2026-11-25T12:00:00Z' });
    expect(state.admission).toEqual({ token: 'jwt', windowEndsAt: '2026-11-25T12:00:00Z' });
    expect(progress(state)).toBe(1);
  });

  it('a window_expired close drops the admission; sale and order messages are kept', () => {
    const state = apply(initialQueueState(),
      { type: 'admitted', token: 'jwt', windowEndsAt: '2026-11-25T12:00:00Z' },
      { type: 'sale', state: 'live', unitsLeft: 3 },
      { type: 'order', orderId: 'o1', status: 'PENDING_PAYMENT' },
      { type: 'closed', reason: 'window_expired' });
    expect(state.admission).toBeNull();
    expect(state.closed).toBe('window_expired');
    expect(state.sale).toMatchObject({ state: 'live', unitsLeft: 3 });
    expect(state.orders).toEqual({ o1: 'PENDING_PAYMENT' });
  });

  it('an error message is shown until the next position', () => {
    let state = apply(initialQueueState(), { type: 'error', reason: 'queue-full', message: 'The queue is full.' });
    expect(state.error?.reason).toBe('queue-full');
    state = apply(state, { type: 'position', ahead: 1, queueLength: 2, waitSeconds: { min: 1, max: 2 }, admittedPerMinute: 1 });
    expect(state.error).toBeNull();
  });

  it('joining again starts a clean visit but keeps the last known sale figures', () => {
    const ended = apply(initialQueueState(),
      { type: 'sale', state: 'live', unitsLeft: 7 },
      { type: 'admitted', token: 'jwt', windowEndsAt: '2026-11-25T12:00:00Z' },
      { type: 'closed', reason: 'window_expired' });
    const again = queueReducer(ended, { kind: 'reset' });
    expect(again.closed).toBeNull();
    expect(again.admission).toBeNull();
    expect(again.firstAhead).toBeNull();
    expect(again.sale?.unitsLeft).toBe(7);
  });
});

describe('progress', () => {
  it('moves from the moment one joins, with the time waited against the wait still estimated', () => {
    const joined = apply(initialQueueState(null, 1_000_000),
      { type: 'position', ahead: 40, queueLength: 41, waitSeconds: { min: 50, max: 70 }, admittedPerMinute: 30 });
    expect(progress(joined, 1_000_000)).toBe(0);
    const later = progress(joined, 1_000_000 + 20_000);
    expect(later).toBeGreaterThan(0.2);
    expect(later).toBeLessThan(0.95);
    expect(progress(joined, 1_000_000 + 40_000)).toBeGreaterThan(later);
  });

  it('records when the server last spoke, for "updated N s ago"', () => {
    const state = queueReducer(initialQueueState(), { kind: 'message', at: 42, message: { type: 'sale', state: 'live', unitsLeft: 3 } });
    expect(state.updatedAt).toBe(42);
  });
});
