import { describe, expect, it } from 'vitest';
import { asProblem, fieldErrors, problemKind, toProblem } from './problem';

describe('problems', () => {
  it('keeps the API problem and adds Retry-After for a 429', () => {
    const p = toProblem({ status: 429, data: { type: 'https://miaosha.dev/problems/rate-limited', title: 'Too Many Requests', status: 429 } }, '6');
    expect(problemKind(p)).toBe('rate-limited');
    expect(p.retryAfter).toBe(6);
  });

  it('a 429 without a body is still rate-limited; a failed fetch is a lost network', () => {
    expect(problemKind(toProblem({ status: 429, data: 'busy' }))).toBe('rate-limited');
    const lost = toProblem({ status: 'FETCH_ERROR', error: 'TypeError: Failed to fetch' });
    expect(problemKind(lost)).toBe('network-lost');
    expect(lost.status).toBe(0);
  });

  it('maps field errors to form fields, and a cross-field detail to the field it names', () => {
    const invalid = toProblem({ status: 400, data: { type: 'x/invalid-request', title: 'invalid', status: 400, errors: [{ field: 'stock', message: 'must be greater than 0' }, { field: 'body', message: 'x' }] } });
    expect(fieldErrors(invalid, ['stock', 'title'])).toEqual({ stock: 'must be greater than 0' });
    const crossField = toProblem({ status: 400, data: { type: 'x/invalid-request', title: 'invalid', status: 400, detail: 'closesAt must be after opensAt' } });
    expect(fieldErrors(crossField, ['opensAt', 'closesAt'])).toEqual({ closesAt: 'must be after opensAt' });
  });

  it('turns a thrown error into a generic problem', () => {
    expect(asProblem({ message: 'boom' })).toMatchObject({ status: -1, detail: 'boom' });
  });
});
