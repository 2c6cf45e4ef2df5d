import { describe, expect, it } from 'vitest';
import { toLocalInput, toTerms } from './SaleForm';

describe('sale form values', () => {
  it('turns form text into the API body, leaving unparseable numbers to the API to name', () => {
    const opens = toLocalInput('2026-12-01T10:00:00Z');
    const terms = toTerms({
      productId: '3', title: 'Drop', priceMinor: '19.99', currency: 'eur', stock: 'many', opensAt: opens,
      closesAt: toLocalInput('2026-12-01T12:00:00Z'), perUserLimit: '2', queueCapacity: '100', windowSeconds: '', holdSeconds: '300', queueEnabled: true, verifiedEmailOnly: true,
    });
    expect(terms).toMatchObject({ productId: 3, priceMinor: 1999, currency: 'EUR', stock: null, perUserLimit: 2, holdSeconds: 300, queueEnabled: true, verifiedEmailOnly: true });
    expect(terms.windowSeconds).toBeUndefined();
    expect(terms.opensAt).toBe('2026-12-01T10:00:00.000Z');
  });
});
