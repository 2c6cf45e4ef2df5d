import { describe, expect, it } from 'vitest';
import type { SeatLayout } from '../api/types';
import { neighbour, seatDescription, seatModel } from './seatLayout';

/** Stalls: two rows of 3; Circle: one row of 5 wider than the stalls (x 0..40). */
const layout: SeatLayout = {
  saleId: 1, venueId: 1, currency: 'GBP',
  areas: [
    { ordinal: 1, name: 'Stalls', priceTier: 'A', priceMinor: 4000, firstPosition: 0, seatCount: 6 },
    { ordinal: 2, name: 'Circle', priceTier: 'B', priceMinor: 2500, firstPosition: 6, seatCount: 5 },
  ],
  seats: {
    id: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
    area: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
    row: ['1', '1', '1', '2', '2', '2', 'A', 'A', 'A', 'A', 'A'],
    label: ['1', '2', '3', '1', '2', '3', '1', '2', '3', '4', '5'],
    x: [10, 20, 30, 10, 20, 30, 0, 10, 20, 30, 40],
    y: [0, 0, 0, 10, 10, 10, 30, 30, 30, 30, 30],
  },
};
const model = seatModel(layout);

describe('seat map keyboard navigation', () => {
  it('left and right stay within the row', () => {
    expect(neighbour(model, 0, 'left')).toBe(0);
    expect(neighbour(model, 0, 'right')).toBe(1);
    expect(neighbour(model, 2, 'right')).toBe(2);
    expect(neighbour(model, 3, 'left')).toBe(3);
  });

  it('up and down go to the nearest seat across in the row in front or behind, across areas', () => {
    expect(neighbour(model, 1, 'down')).toBe(4);
    expect(neighbour(model, 4, 'up')).toBe(1);
    expect(neighbour(model, 5, 'down')).toBe(9); // x 30 in the circle
    expect(neighbour(model, 10, 'up')).toBe(5); // x 40: the stalls' last seat is nearest
    expect(neighbour(model, 1, 'up')).toBe(1);
    expect(neighbour(model, 8, 'down')).toBe(8);
  });

  it('Home and End go to the ends of the row', () => {
    expect(neighbour(model, 8, 'home')).toBe(6);
    expect(neighbour(model, 8, 'end')).toBe(10);
  });

  it('labels a seat in words for a screen reader', () => {
    expect(seatDescription(model, 4, 0, false)).toBe('Stalls, row 2, seat 2, £40.00, free');
    expect(seatDescription(model, 7, 1, false)).toBe('Circle, row A, seat 2, £25.00, held by another shopper');
    expect(seatDescription(model, 7, 0, true)).toBe('Circle, row A, seat 2, £25.00, selected');
  });

  it('knows the bounds and the pitch', () => {
    expect(model.width).toBe(40);
    expect(model.height).toBe(30);
    expect(model.pitch).toBe(10);
    expect(Array.from(model.rowStart)).toEqual([0, 3, 6]);
  });
});
