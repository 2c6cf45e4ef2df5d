import { describe, expect, it } from 'vitest';
import { SALE_RULES } from '../admin/SaleForm';
import { PRODUCT_RULES } from '../admin/AdminHome';
import { credentialRules } from '../pages/Auth';
import { serverFieldErrors, validate } from './validation';

const sale = {
  productId: '', title: '', priceMinor: 'abc', currency: 'euro', stock: '0', opensAt: '2026-12-01T10:00', closesAt: '2026-12-01T09:00',
  perUserLimit: '1', queueCapacity: '100', windowSeconds: '10', holdSeconds: '', queueEnabled: true, verifiedEmailOnly: false,
};

describe('form validation', () => {
  it('names every wrong field of a sale at once, in sentences, never "must not be null"', () => {
    const errors = validate(sale, SALE_RULES);
    expect(errors).toEqual({
      productId: 'Choose a product.',
      title: 'Give the sale a title.',
      priceMinor: 'Enter the price as a number with at most two decimals, such as 19.99.',
      currency: 'Use a three-letter currency code, such as EUR.',
      stock: 'Stock must be a whole number of at least 1.',
      closesAt: 'The sale must close after it opens.',
      windowSeconds: 'The shopping window must be from 30 seconds to a day (86,400 seconds).',
    });
    expect(Object.values(errors).join(' ')).not.toMatch(/null|NaN|undefined/);
  });

  it('accepts a good sale', () => {
    expect(validate({ ...sale, productId: '3', title: 'Drop', priceMinor: '19,99', currency: 'EUR', stock: '5', closesAt: '2026-12-01T12:00', windowSeconds: '60' }, SALE_RULES)).toEqual({});
  });

  it('wants image links on https or on this site', () => {
    const product = { sku: 'runner-1', name: 'Runner', description: '', imageUrl: 'http://images.example/a.png' };
    expect(validate(product, PRODUCT_RULES).imageUrl).toMatch(/https:\/\//);
    expect(validate({ ...product, imageUrl: '//images.example/a.png' }, PRODUCT_RULES).imageUrl).toBeDefined();
    expect(validate({ ...product, imageUrl: 'https://images.example/a.png' }, PRODUCT_RULES)).toEqual({});
    expect(validate({ ...product, imageUrl: '/img/runner.svg' }, PRODUCT_RULES)).toEqual({});
  });

  it('checks a new password by its length as bcrypt counts it', () => {
    expect(validate({ email: 'a@b.co', password: 'short' }, credentialRules('signup')).password).toBe('Password must be 8 to 72 characters.');
    expect(validate({ email: 'a@b.co', password: 'é'.repeat(40) }, credentialRules('signup')).password).toBeDefined();
    expect(validate({ email: 'a@b.co', password: 'short' }, credentialRules('login'))).toEqual({});
    expect(validate({ email: 'nope', password: '' }, credentialRules('login'))).toEqual({
      email: 'Enter an email address such as name@example.com.', password: 'Enter your password.',
    });
  });

  it('puts the API’s field errors under their fields as sentences with the form’s labels', () => {
    const problem = { type: 'x/invalid-request', title: 'invalid', status: 400, errors: [{ field: 'stock', message: 'must be greater than 0' }, { field: 'body', message: 'x' }] };
    expect(serverFieldErrors(problem, { stock: 'Stock', title: 'Title' })).toEqual({ stock: 'Stock must be greater than 0.' });
    const crossField = { type: 'x/invalid-request', title: 'invalid', status: 400, detail: 'closesAt must be after opensAt' };
    expect(serverFieldErrors(crossField, { closesAt: 'Closes at' })).toEqual({ closesAt: 'Closes at must be after opensAt.' });
  });
});

describe('leaving a field', async () => {
  const { leaving } = await import('../components/Field');
  it('shows its error, unless focus goes to the submit button (the click would be lost to the layout shift)', () => {
    let touched = 0;
    const handler = leaving(() => touched++)!;
    const submit = document.createElement('button');
    submit.setAttribute('type', 'submit');
    handler({ relatedTarget: submit } as unknown as React.FocusEvent);
    expect(touched).toBe(0);
    handler({ relatedTarget: null } as unknown as React.FocusEvent);
    expect(touched).toBe(1);
  });
});
