import type { ClosedReason, SaleState, ServerMessage } from './messages';

export type Connection = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface QueueState {
  connection: Connection;
  /** How many were ahead when this shopper first got a position: the start of the progress bar. */
  firstAhead: number | null;
  ahead: number | null;
  queueLength: number | null;
  waitSeconds: { min: number; max: number } | null;
  admittedPerMinute: number | null;
  admission: { token: string; windowEndsAt: string } | null;
  sale: { state: SaleState; unitsLeft: number; opensAt?: string; closesAt?: string } | null;
  orders: Record<string, string>;
  closed: ClosedReason | null;
  error: { reason: string; message: string } | null;
}

export type QueueEvent =
  | { kind: 'connection'; connection: Connection }
  | { kind: 'message'; message: ServerMessage }
  | { kind: 'reset' };

export const initialQueueState = (firstAhead: number | null = null): QueueState => ({
  connection: 'idle',
  firstAhead,
  ahead: null,
  queueLength: null,
  waitSeconds: null,
  admittedPerMinute: null,
  admission: null,
  sale: null,
  orders: {},
  closed: null,
  error: null,
});

export function queueReducer(state: QueueState, event: QueueEvent): QueueState {
  if (event.kind === 'connection') return { ...state, connection: event.connection };
  // A new visit (joining again after the window closed): nothing of the last one applies.
  if (event.kind === 'reset') return { ...initialQueueState(), sale: state.sale };
  const m = event.message;
  switch (m.type) {
    case 'position':
      return {
        ...state,
        ahead: m.ahead,
        queueLength: m.queueLength,
        waitSeconds: m.waitSeconds,
        admittedPerMinute: m.admittedPerMinute,
        firstAhead: Math.max(state.firstAhead ?? 0, m.ahead),
        error: null,
      };
    case 'admitted':
      return { ...state, admission: { token: m.token, windowEndsAt: m.windowEndsAt }, ahead: 0, error: null };
    case 'sale':
      return { ...state, sale: { state: m.state, unitsLeft: m.unitsLeft, opensAt: m.opensAt, closesAt: m.closesAt } };
    case 'order':
      return { ...state, orders: { ...state.orders, [m.orderId]: m.status } };
    case 'closed':
      return { ...state, closed: m.reason, admission: m.reason === 'window_expired' ? null : state.admission };
    case 'error':
      return { ...state, error: { reason: m.reason, message: m.message } };
  }
}

/** 0..1: how far the shopper has come from where they joined. */
export function progress(state: Pick<QueueState, 'firstAhead' | 'ahead' | 'admission'>): number {
  if (state.admission) return 1;
  if (state.ahead === null || !state.firstAhead) return state.ahead === 0 ? 0.95 : 0;
  return Math.min(0.95, Math.max(0, (state.firstAhead - state.ahead) / (state.firstAhead + 1)));
}
