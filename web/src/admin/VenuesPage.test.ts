import { describe, expect, it } from 'vitest';
import { listError, parseSeatList } from './VenuesPage';

describe('venue seat lists', () => {
  it('takes a list of seats or a whole venue', () => {
    const seats = [{ area: 'Floor', row: 'A', seat: '1', x: 0, y: 0 }];
    expect(parseSeatList(JSON.stringify(seats))).toEqual({ seats, areas: undefined, name: undefined });
    expect(parseSeatList(JSON.stringify({ name: 'Club', areas: [{ name: 'Floor' }], seats }))).toEqual({ seats, areas: [{ name: 'Floor' }], name: 'Club' });
  });

  it('says in words what is wrong with a list', () => {
    expect(parseSeatList('{')).toMatch(/^The seat list is not valid JSON/);
    expect(parseSeatList('{"rows":3}')).toMatch(/^Paste a JSON list of seats/);
    expect(parseSeatList('[]')).toBe('A venue has 1 to 100,000 seats; this list has 0.');
  });

  it('names the seat an API field error is about', () => {
    expect(listError('seats[11].x', 'is required, from 0 to 1000000')).toBe('Seat 12 of the list: its x is required, from 0 to 1000000');
    expect(listError('seats[0]', 'seat 1 of row A in Floor is listed twice')).toBe('Seat 1 of the list: seat 1 of row A in Floor is listed twice');
    expect(listError('areas[1]', 'has no seats in the seats list')).toBe('Area 2: has no seats in the seats list');
    expect(listError('seats', 'a venue has 1 to 100000 seats')).toBe('The seat list: a venue has 1 to 100000 seats');
  });
});
