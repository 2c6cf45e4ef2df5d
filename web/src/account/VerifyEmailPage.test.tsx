import { describe, expect, it } from 'vitest';
import { tokenOf } from './VerifyEmailPage';

describe('the link of a verification email', () => {
  it('carries its token in the fragment', () => {
    expect(tokenOf('#token=AbC_-123')).toBe('AbC_-123');
  });

  it('without a token is incomplete', () => {
    expect(tokenOf('')).toBeNull();
    expect(tokenOf('#token=')).toBeNull();
    expect(tokenOf('#other=1')).toBeNull();
  });
});
