import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { Sale } from '../api/types';
import { DrawEntryPanel } from './DrawEntryPanel';

const OPENS = '2026-12-01T20:00:00Z';
const ENTRIES = '2026-12-01T19:30:00Z';
const sale = (over: Partial<Sale> = {}): Sale => ({
  id: 7, title: 'Night drop', product: { id: 1, name: 'Runner', description: '', imageUrl: null }, price: { amountMinor: 4900, currency: 'EUR' },
  stock: 5, unitsLeft: 5, status: 'UPCOMING', opensAt: OPENS, closesAt: '2026-12-01T22:00:00Z', perUserLimit: 1, queueCapacity: 1,
  queueEnabled: true, windowSeconds: 600, holdSeconds: 600, drawEntriesOpenAt: ENTRIES, ...over,
});
const show = (s: Sale, now: number, loggedIn = true, onEnter = () => {}) =>
  render(<MemoryRouter initialEntries={['/sales/7']}><DrawEntryPanel sale={s} loggedIn={loggedIn} onEnter={onEnter} now={now} /></MemoryRouter>);

describe('DrawEntryPanel', () => {
  it('before the entries window says when entries open, and offers nothing to press', () => {
    show(sale(), Date.parse('2026-12-01T19:00:00Z'));
    expect(screen.getByRole('heading', { name: 'Not open yet' })).toBeInTheDocument();
    expect(screen.getByTestId('draw-entries-later')).toHaveTextContent(/Entries to the draw open .* at \d\d:\d\d \(.+\), 30 minutes before the opening/);
    expect(screen.getByTestId('draw-entries-later').querySelector(`time[datetime="${ENTRIES}"]`)).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Enter the draw' })).not.toBeInTheDocument();
  });

  it('in the entries window offers "Enter the draw", with when the draw happens', async () => {
    const onEnter = vi.fn();
    show(sale(), Date.parse('2026-12-01T19:45:00Z'), true, onEnter);
    expect(screen.getByRole('heading', { name: 'Enter the draw' })).toBeInTheDocument();
    expect(screen.getByText(/The draw is at the opening/)).toBeInTheDocument();
    expect(screen.getByTestId('draw-entries-open').querySelector(`time[datetime="${OPENS}"]`)).not.toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Enter the draw' }));
    expect(onEnter).toHaveBeenCalledOnce();
  });

  it('asks a shopper who is not logged in to log in first, and brings them back', () => {
    show(sale(), Date.parse('2026-12-01T19:45:00Z'), false);
    expect(screen.getByRole('link', { name: 'Log in to enter the draw' })).toHaveAttribute('href', '/login?next=%2Fsales%2F7');
    expect(screen.queryByRole('button', { name: 'Enter the draw' })).not.toBeInTheDocument();
  });

  it('before the window asks a logged-out shopper to log in ahead too', () => {
    show(sale(), Date.parse('2026-12-01T19:00:00Z'), false);
    expect(screen.getByRole('link', { name: 'Log in now' })).toHaveAttribute('href', '/login?next=%2Fsales%2F7');
  });
});
