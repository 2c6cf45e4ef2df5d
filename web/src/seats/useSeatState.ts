import { useCallback, useEffect, useRef, useState } from 'react';
import { applyFrame, applySnapshot, clearSelection, emptySeatState, toggleSeat, type SeatFrame, type SeatState } from './seatState';

/**
 * The one owner of a sale page's seat state: frames from the live feed (kept until the layout has
 * arrived and says how many seats there are), REST snapshots after a lost race, and the shopper's
 * clicks. `onLost` hears of selected seats someone else took.
 */
export function useSeatState(count: number | null, limit: number, onLost: (positions: number[]) => void) {
  const [state, setState] = useState<SeatState | null>(null);
  const current = useRef<SeatState | null>(null);
  const pending = useRef<SeatFrame[]>([]);
  const lostRef = useRef(onLost);
  lostRef.current = onLost;

  const commit = useCallback((next: SeatState, lost: number[]) => {
    if (next !== current.current) {
      current.current = next;
      setState(next);
    }
    if (lost.length) lostRef.current(lost);
  }, []);

  useEffect(() => {
    if (count === null || current.current) return;
    let s = emptySeatState(count);
    for (const frame of pending.current) s = applyFrame(s, frame).state;
    pending.current = [];
    commit(s, []);
  }, [count, commit]);

  const onFrame = useCallback((frame: SeatFrame) => {
    const s = current.current;
    if (!s) {
      // Before the layout: a snapshot replaces what came before it.
      pending.current = frame.type === 'seats' ? [frame] : [...pending.current, frame];
      return;
    }
    const started = performance.now();
    const applied = applyFrame(s, frame);
    performance.measure('seat-frame-apply', { start: started, end: performance.now() });
    commit(applied.state, applied.lost);
  }, [commit]);

  const onSnapshot = useCallback((states: string, changeId: string | null) => {
    if (current.current) {
      const applied = applySnapshot(current.current, states, changeId);
      commit(applied.state, applied.lost);
    } else onFrame({ type: 'seats', states, changeId });
  }, [commit, onFrame]);

  const toggle = useCallback((position: number) => {
    if (current.current) commit(toggleSeat(current.current, position, limit), []);
  }, [commit, limit]);
  const clear = useCallback(() => {
    if (current.current) commit(clearSelection(current.current), []);
  }, [commit]);
  const unselect = useCallback((positions: number[]) => {
    const s = current.current;
    if (s) commit({ ...s, selected: s.selected.filter((p) => !positions.includes(p)) }, []);
  }, [commit]);

  return { state, onFrame, onSnapshot, toggle, clear, unselect };
}
