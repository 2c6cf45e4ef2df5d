/**
 * The live state of a seated sale's map as this page knows it, and the shopper's selection: one
 * byte per seat position (0 free, 1 held, 2 sold) as of change `changeId`. Pure functions: a new
 * state for every frame (10,000 seats are a 10 KB copy, a few microseconds), so React and the tests
 * see plain values; the canvas redraws from it without a component per seat.
 */
export const FREE = 0;
export const HELD = 1;
export const SOLD = 2;

export interface SeatState {
  states: Uint8Array;
  /** The last seat-change (Redis stream id "ms-seq") these states include; null before any snapshot. */
  changeId: string | null;
  /** Positions the shopper has selected, in the order chosen. */
  selected: number[];
}

/** The feed's frames of a seated sale (queue-gateway SeatFrames) and the REST map read the same way. */
export type SeatFrame =
  | { type: 'seats'; states: string; changeId: string | null }
  | { type: 'seat-changes'; changes: { state: number; seats: number[] }[]; changeId: string };

export interface Applied {
  state: SeatState;
  /** Selected seats this frame took away (someone else holds or bought them). */
  lost: number[];
}

export const emptySeatState = (count: number): SeatState => ({ states: new Uint8Array(count), changeId: null, selected: [] });

/** Stream ids in their order ("ms-seq", numerically), which is not the order of their text; null first. */
export function compareChangeIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  const [ams, aseq = '0'] = a.split('-');
  const [bms, bseq = '0'] = b.split('-');
  const byTime = Number(ams) - Number(bms);
  return byTime !== 0 ? Math.sign(byTime) : Math.sign(Number(aseq) - Number(bseq));
}

export function parseSeatFrame(data: unknown): SeatFrame | null {
  if (typeof data !== 'string' || !data.includes('"seat')) return null;
  try {
    const frame = JSON.parse(data) as SeatFrame;
    if (frame.type === 'seats' && typeof frame.states === 'string') return frame;
    if (frame.type === 'seat-changes' && Array.isArray(frame.changes) && typeof frame.changeId === 'string') return frame;
  } catch {
    // not a seat frame
  }
  return null;
}

function dropUnavailable(state: SeatState, states: Uint8Array, changeId: string | null): Applied {
  const kept = state.selected.filter((p) => states[p] === FREE);
  const lost = kept.length === state.selected.length ? [] : state.selected.filter((p) => states[p] !== FREE);
  return { state: { states, changeId, selected: lost.length ? kept : state.selected }, lost };
}

/**
 * A whole map: taken unless it is older than what this page already applied (a REST read that
 * crossed a live frame in flight). Characters beyond the layout are ignored, missing ones stay free.
 */
export function applySnapshot(state: SeatState, states: string, changeId: string | null): Applied {
  if (state.changeId !== null && compareChangeIds(changeId, state.changeId) < 0) return { state, lost: [] };
  const next = new Uint8Array(state.states.length);
  const n = Math.min(states.length, next.length);
  for (let i = 0; i < n; i++) next[i] = states.charCodeAt(i) - 48;
  // "0-0": before any change (seat_map.lua); a snapshot always leaves an id to compare changes with.
  return dropUnavailable(state, next, changeId || '0-0');
}

/**
 * The changes up to `changeId`, oldest first. A frame this page's snapshot already includes (its
 * changeId not after the page's) is skipped whole: the gateway may send a new viewer changes it has.
 * A frame that overlaps the snapshot is applied whole, in order, which ends each seat in its latest state.
 */
export function applyChanges(state: SeatState, changes: { state: number; seats: number[] }[], changeId: string): Applied {
  if (state.changeId === null || compareChangeIds(changeId, state.changeId) <= 0) return { state, lost: [] };
  const next = state.states.slice();
  for (const change of changes) {
    for (const p of change.seats) if (p >= 0 && p < next.length) next[p] = change.state;
  }
  return dropUnavailable(state, next, changeId);
}

export function applyFrame(state: SeatState, frame: SeatFrame): Applied {
  return frame.type === 'seats' ? applySnapshot(state, frame.states, frame.changeId) : applyChanges(state, frame.changes, frame.changeId);
}

/** Selects a free seat (within the limit) or unselects a selected one; anything else is unchanged. */
export function toggleSeat(state: SeatState, position: number, limit: number): SeatState {
  if (state.selected.includes(position)) return { ...state, selected: state.selected.filter((p) => p !== position) };
  if (state.states[position] !== FREE || state.selected.length >= limit) return state;
  return { ...state, selected: [...state.selected, position] };
}

export const clearSelection = (state: SeatState): SeatState => (state.selected.length ? { ...state, selected: [] } : state);
