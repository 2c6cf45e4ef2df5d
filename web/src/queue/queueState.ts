import type { Chance, ClosedReason, SaleState, ServerMessage } from './messages';

export type Connection = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface QueueState {
  connection: Connection;
  /** How many were ahead when this shopper first got a position: the start of the progress bar. */
  firstAhead: number | null;
  ahead: number | null;
  queueLength: number | null;
  waitSeconds: { min: number; max: number } | null;
  admittedPerMinute: number | null;
  chance: Chance | null;
  admission: { token: string; windowEndsAt: string } | null;
  sale: { state: SaleState; unitsLeft: number; opensAt?: string; closesAt?: string; unpaidHolds?: number | null; nextHoldEndsAt?: string | null } | null;
  /** This shopper's entry in the pre-opening draw (joined before opening): what it needs to check the draw. */
  draw: { ticketId: string; commitment: string; revealAt: string } | null;
  orders: Record<string, string>;
  closed: ClosedReason | null;
  error: { reason: string; message: string } | null;
  /** When this visit joined (ms), kept across a reload: the progress bar moves with time from here. */
  joinedAt: number | null;
  /** When the server last told us anything (ms): "updated 3 s ago". */
  updatedAt: number | null;
}

export type QueueEvent =
  | { kind: 'connection'; connection: Connection }
  | { kind: 'message'; message: ServerMessage; at?: number }
  | { kind: 'reset'; at?: number };

export const initialQueueState = (firstAhead: number | null = null, joinedAt: number | null = null): QueueState => ({
  connection: 'idle',
  firstAhead,
  ahead: null,
  queueLength: null,
  waitSeconds: null,
  admittedPerMinute: null,
  chance: null,
  admission: null,
  sale: null,
  draw: null,
  orders: {},
  closed: null,
  error: null,
  joinedAt,
  updatedAt: null,
});

export function queueReducer(state: QueueState, event: QueueEvent): QueueState {
  if (event.kind === 'connection') return { ...state, connection: event.connection };
  // A new visit (joining again after the window closed): nothing of the last one applies.
  if (event.kind === 'reset') return { ...initialQueueState(null, event.at ?? null), sale: state.sale };
  const reduced = apply(state, event.message);
  return event.at ? { ...reduced, updatedAt: event.at } : reduced;
}

function apply(state: QueueState, m: ServerMessage): QueueState {
  switch (m.type) {
    case 'position':
      return {
        ...state,
        ahead: m.ahead,
        queueLength: m.queueLength,
        waitSeconds: m.waitSeconds,
        admittedPerMinute: m.admittedPerMinute,
        chance: m.chance ?? null,
        firstAhead: Math.max(state.firstAhead ?? 0, m.ahead),
        error: null,
      };
    case 'admitted':
      return { ...state, admission: { token: m.token, windowEndsAt: m.windowEndsAt }, ahead: 0, error: null };
    case 'sale':
      return { ...state, sale: { state: m.state, unitsLeft: m.unitsLeft, opensAt: m.opensAt, closesAt: m.closesAt, unpaidHolds: m.unpaidHolds, nextHoldEndsAt: m.nextHoldEndsAt } };
    case 'draw':
      return { ...state, draw: { ticketId: m.ticketId, commitment: m.commitment, revealAt: m.revealAt } };
    case 'order':
      return { ...state, orders: { ...state.orders, [m.orderId]: m.status } };
    case 'closed':
      return { ...state, closed: m.reason, admission: m.reason === 'window_expired' ? null : state.admission };
    case 'error':
      return { ...state, error: { reason: m.reason, message: m.message } };
  }
}

/**
 * 0..1: how far the shopper has come. Two honest measures, the larger wins: the places gained since
 * joining, and the time waited against the time still estimated (so the bar moves from the moment
 * one joins, even while the line ahead has not moved yet). Only admission fills it.
 */
export function progress(state: Pick<QueueState, 'firstAhead' | 'ahead' | 'admission'> & Partial<Pick<QueueState, 'joinedAt' | 'waitSeconds'>>, now?: number): number {
  if (state.admission) return 1;
  let byPlace = 0;
  if (state.ahead === 0) byPlace = 0.95;
  else if (state.ahead !== null && state.firstAhead) byPlace = Math.min(0.95, Math.max(0, (state.firstAhead - state.ahead) / (state.firstAhead + 1)));
  let byTime = 0;
  if (now !== undefined && state.joinedAt && state.waitSeconds) {
    const waited = Math.max(0, (now - state.joinedAt) / 1000);
    const remaining = Math.max(1, (state.waitSeconds.min + state.waitSeconds.max) / 2);
    byTime = 0.95 * (waited / (waited + remaining));
  }
  return Math.min(0.95, Math.max(byPlace, byTime));
}
