import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Draw } from '../api/types';
import { DrawDetails } from './DrawPage';

// The fixed vector of drawFunction.test.ts (and of common's DrawFunctionTest).
const SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const COMMITMENT = '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd';
const ORDER = ['a1b2c3d4e5f60718', 'fedcba9876543210', '0123456789abcdef'];

const draw = (over: Partial<Draw> = {}): Draw => ({
  saleId: 7, commitment: COMMITMENT, revealAt: '2026-12-01T18:00:00Z', seed: null, entrants: null, function: 'value = …', ...over,
});

const show = (d: Draw, ticket = '') => render(<MemoryRouter><DrawDetails draw={d} initialTicket={ticket} /></MemoryRouter>);

describe('DrawDetails', () => {
  it('before the opening shows the commitment and keeps the seed secret', () => {
    show(draw());
    expect(screen.getByTestId('commitment')).toHaveTextContent(COMMITMENT);
    expect(screen.getByTestId('seed-hidden')).toBeInTheDocument();
  });

  it('after the opening checks the seed and the order in the browser, and finds a pasted ticket’s place', async () => {
    show(draw({ seed: SEED, entrants: ORDER }), '0123456789ABCDEF');
    expect(await screen.findByTestId('seed-check')).toHaveTextContent('The seed matches the commitment');
    expect(screen.getByTestId('order-check')).toHaveTextContent('published order of 3 entrants is the one the seed gives');
    expect(await screen.findByText(/Your place in the draw/)).toHaveTextContent('Your place in the draw: 3 of 3');

    await userEvent.clear(screen.getByLabelText(/Your ticket id/));
    await userEvent.type(screen.getByLabelText(/Your ticket id/), 'a1b2c3d4e5f60718');
    expect(await screen.findByText(/Your place in the draw/)).toHaveTextContent('Your place in the draw: 1 of 3');
  });

  it('says so when the seed does not match the commitment or the order is not the seed’s', async () => {
    show(draw({ seed: SEED.replace(/^00/, '01'), entrants: [...ORDER].reverse() }));
    expect(await screen.findByTestId('seed-check')).toHaveTextContent('does NOT match');
    expect(screen.getByTestId('order-check')).toHaveTextContent('NOT the one the seed gives');
  });
});
