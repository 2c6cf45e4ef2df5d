import { describe, expect, it } from 'vitest';
import { applyChanges, applyFrame, applySnapshot, compareChangeIds, emptySeatState, parseSeatFrame, toggleSeat, FREE, HELD, SOLD } from './seatState';

const snapshot = (states: string, changeId = '100-0') => applySnapshot(emptySeatState(states.length), states, changeId).state;
const text = (s: { states: Uint8Array }) => Array.from(s.states).join('');

describe('seat state', () => {
  it('takes a snapshot, one character per position', () => {
    const s = snapshot('0120');
    expect(text(s)).toBe('0120');
    expect(s.changeId).toBe('100-0');
  });

  it('a snapshot before any change (0-0) still lets the first changes in', () => {
    const s = applySnapshot(emptySeatState(3), '000', '0-0').state;
    const next = applyChanges(s, [{ state: HELD, seats: [1] }], '5-0').state;
    expect(text(next)).toBe('010');
  });

  it('applies changes oldest first, so a seat ends in its latest state', () => {
    const s = snapshot('0000');
    const next = applyChanges(s, [{ state: HELD, seats: [0, 1] }, { state: FREE, seats: [1] }, { state: SOLD, seats: [0] }], '101-0').state;
    expect(text(next)).toBe('2000');
    expect(next.changeId).toBe('101-0');
  });

  it('skips a frame the snapshot already includes (changeId not after it)', () => {
    const s = snapshot('0100', '200-3');
    expect(applyChanges(s, [{ state: FREE, seats: [1] }], '200-3').state).toBe(s);
    expect(applyChanges(s, [{ state: FREE, seats: [1] }], '200-2').state).toBe(s);
    expect(applyChanges(s, [{ state: FREE, seats: [1] }], '99-9').state).toBe(s);
    expect(text(applyChanges(s, [{ state: FREE, seats: [1] }], '200-10').state)).toBe('0000');
  });

  it('orders stream ids by number, not by text', () => {
    expect(compareChangeIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareChangeIds('10-2', '10-11')).toBeLessThan(0);
    expect(compareChangeIds('10-0', '10-0')).toBe(0);
    expect(compareChangeIds(null, '0-0')).toBeLessThan(0);
  });

  it('ignores an older REST snapshot that crossed a newer live frame', () => {
    const s = applyChanges(snapshot('000', '10-0'), [{ state: HELD, seats: [2] }], '12-0').state;
    expect(applySnapshot(s, '000', '11-0').state).toBe(s);
    expect(text(applySnapshot(s, '220', '13-0').state)).toBe('220');
  });

  it('drops a selected seat someone else takes, and says which', () => {
    let s = snapshot('0000');
    s = toggleSeat(toggleSeat(s, 1, 4), 2, 4);
    const applied = applyChanges(s, [{ state: HELD, seats: [2, 3] }], '101-0');
    expect(applied.lost).toEqual([2]);
    expect(applied.state.selected).toEqual([1]);
    const again = applySnapshot(applied.state, '2200', '102-0');
    expect(again.lost).toEqual([1]);
    expect(again.state.selected).toEqual([]);
  });

  it('selects free seats up to the limit, never a taken one, and unselects', () => {
    let s = snapshot('0010');
    s = toggleSeat(s, 0, 2);
    s = toggleSeat(s, 2, 2);
    expect(s.selected).toEqual([0]);
    s = toggleSeat(toggleSeat(s, 1, 2), 3, 2);
    expect(s.selected).toEqual([0, 1]);
    expect(toggleSeat(s, 0, 2).selected).toEqual([1]);
  });

  it('ignores positions outside the layout', () => {
    expect(text(applyChanges(snapshot('00'), [{ state: SOLD, seats: [-1, 5, 1] }], '101-0').state)).toBe('02');
  });

  it('parses the feed frames and nothing else', () => {
    const frame = parseSeatFrame('{"type":"seat-changes","changes":[{"state":1,"seats":[3]}],"changeId":"5-1"}');
    expect(frame?.type).toBe('seat-changes');
    expect(text(applyFrame(snapshot('0000', '5-0'), frame!).state)).toBe('0001');
    expect(parseSeatFrame('{"type":"seats","states":"01","changeId":"0-0"}')?.type).toBe('seats');
    expect(parseSeatFrame('{"type":"sale","state":"live","unitsLeft":3}')).toBeNull();
    expect(parseSeatFrame('not json "seat')).toBeNull();
  });
});
