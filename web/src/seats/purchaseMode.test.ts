import { describe, expect, it } from 'vitest';
import { purchaseMode } from './purchaseMode';

describe('purchaseMode', () => {
  it('offers units for a unit sale, whatever a layout query would say (it is never asked)', () => {
    expect(purchaseMode(false, false, false)).toBe('units');
    expect(purchaseMode(false, false, true)).toBe('units');
  });

  it('treats a sale from an API without the field as a unit sale', () => {
    expect(purchaseMode(undefined, false, false)).toBe('units');
  });

  it('never offers the unit purchase for a seated sale: loading, then seats', () => {
    expect(purchaseMode(true, false, false)).toBe('loading');
    expect(purchaseMode(true, true, false)).toBe('seats');
  });

  it('says the seats are unavailable when a seated sale\'s layout could not be read', () => {
    expect(purchaseMode(true, false, true)).toBe('unavailable');
  });
});
