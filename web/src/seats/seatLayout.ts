import type { SeatLayout } from '../api/types';
import { formatMoney } from '../lib/format';

/**
 * A layout prepared for drawing and moving around: bounds, the seat pitch, and the rows in position
 * order (positions run by area, then row front to back, then x), so the keyboard can step to the
 * neighbour on the left, on the right, and in the row in front or behind.
 */
export interface SeatModel {
  layout: SeatLayout;
  count: number;
  minX: number;
  minY: number;
  width: number;
  height: number;
  /** The smallest distance between two neighbours in a row: a seat is drawn a bit smaller. */
  pitch: number;
  /** First and last position of each row, front to back; rowOf[position] is its index here. */
  rowStart: Int32Array;
  rowEnd: Int32Array;
  rowOf: Int32Array;
  /** Area index (into layout.areas) of each position. */
  areaOf: Int32Array;
}

export function seatModel(layout: SeatLayout): SeatModel {
  const { x, y, area, row } = layout.seats;
  const count = x.length;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  const areaIndex = new Map(layout.areas.map((a, i) => [a.ordinal, i]));
  const areaOf = new Int32Array(count);
  const rowOf = new Int32Array(count);
  const starts: number[] = [];
  const ends: number[] = [];
  let pitch = Infinity;
  for (let i = 0; i < count; i++) {
    areaOf[i] = areaIndex.get(area[i]) ?? 0;
    const sameRow = i > 0 && area[i] === area[i - 1] && row[i] === row[i - 1];
    if (!sameRow) {
      if (i > 0) ends.push(i - 1);
      starts.push(i);
    } else {
      const d = Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
      if (d > 0 && d < pitch) pitch = d;
    }
    rowOf[i] = starts.length - 1;
  }
  if (count > 0) ends.push(count - 1);
  if (!Number.isFinite(pitch)) pitch = 10;
  return {
    layout, count, minX: count ? minX : 0, minY: count ? minY : 0, width: count ? maxX - minX : 0, height: count ? maxY - minY : 0,
    pitch, rowStart: Int32Array.from(starts), rowEnd: Int32Array.from(ends), rowOf, areaOf,
  };
}

export type Step = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

/** The seat an arrow key moves to from `position` (itself at an edge). */
export function neighbour(model: SeatModel, position: number, step: Step): number {
  const r = model.rowOf[position];
  switch (step) {
    case 'left': return Math.max(model.rowStart[r], position - 1);
    case 'right': return Math.min(model.rowEnd[r], position + 1);
    case 'home': return model.rowStart[r];
    case 'end': return model.rowEnd[r];
    case 'up':
    case 'down': {
      const target = step === 'up' ? r - 1 : r + 1;
      if (target < 0 || target >= model.rowStart.length) return position;
      // The seat of that row nearest across (by x): rows of another area may be offset or longer.
      const x = model.layout.seats.x[position];
      let best = model.rowStart[target];
      for (let p = model.rowStart[target]; p <= model.rowEnd[target]; p++) {
        if (Math.abs(model.layout.seats.x[p] - x) < Math.abs(model.layout.seats.x[best] - x)) best = p;
      }
      return best;
    }
  }
}

export const STATE_WORDS = ['free', 'held by another shopper', 'sold'] as const;

export function seatPrice(model: SeatModel, position: number): number {
  return model.layout.areas[model.areaOf[position]].priceMinor;
}

/** "Stalls row 2 seat 5": the words the API uses for a seat (order page, email, refusals). */
export function seatName(model: SeatModel, position: number): string {
  const { seats, areas } = model.layout;
  return `${areas[model.areaOf[position]].name} row ${seats.row[position]} seat ${seats.label[position]}`;
}

/** "Stalls, row 2, seat 5, £40.00, free": what a screen reader says on the seat. */
export function seatDescription(model: SeatModel, position: number, state: number, selected: boolean): string {
  const { seats, areas } = model.layout;
  const price = formatMoney(seatPrice(model, position), model.layout.currency);
  const status = selected ? 'selected' : STATE_WORDS[state] ?? 'unavailable';
  return `${areas[model.areaOf[position]].name}, row ${seats.row[position]}, seat ${seats.label[position]}, ${price}, ${status}`;
}
