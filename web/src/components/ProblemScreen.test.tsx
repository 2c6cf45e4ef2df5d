import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProblemScreen } from './ProblemScreen';

const renderScreen = (problem: object, onRetry?: () => void) =>
  render(<MemoryRouter><ProblemScreen problem={problem} onRetry={onRetry} /></MemoryRouter>);

describe('ProblemScreen', () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    ['sold-out', 409, 'Sold out'],
    ['limit-reached', 409, 'Limit reached'],
    ['window-expired', 0, 'Your shopping window has closed'],
    ['sale-not-open', 403, 'Not open yet'],
    ['admission-invalid', 403, 'Please queue first'],
  ])('says %s in words, as an alert with focus on its heading', (slug, status, title) => {
    renderScreen({ type: `https://miaosha.dev/problems/${slug}`, title: slug, status });
    expect(screen.getByRole('alert')).toHaveAttribute('data-problem', slug);
    expect(screen.getByRole('heading', { name: title })).toHaveFocus();
    expect(screen.queryByText(/problems\//)).not.toBeInTheDocument();
  });

  it('a 429 counts down its Retry-After and retries by itself', () => {
    vi.useFakeTimers();
    const retry = vi.fn();
    renderScreen({ type: 'https://miaosha.dev/problems/rate-limited', title: 'Too Many Requests', status: 429, retryAfter: 2 }, retry);
    expect(screen.getByRole('heading', { name: 'The server is busy' })).toBeInTheDocument();
    expect(screen.getByText('Retrying in 2 s…')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByText('Retrying in 1 s…')).toBeInTheDocument();
    expect(retry).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1000));
    expect(retry).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(10_000));
    expect(retry).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Retrying…')).toBeInTheDocument();
  });

  it('a retry that fails again starts a new countdown instead of hammering the server', () => {
    vi.useFakeTimers();
    const retry = vi.fn();
    const busy = () => ({ type: 'https://miaosha.dev/problems/rate-limited', title: 'Too Many Requests', status: 429, retryAfter: 1 });
    const { rerender } = renderScreen(busy(), retry);
    act(() => vi.advanceTimersByTime(1000));
    expect(retry).toHaveBeenCalledTimes(1);
    rerender(<MemoryRouter><ProblemScreen problem={busy()} onRetry={retry} /></MemoryRouter>);
    expect(screen.getByText('Retrying in 1 s…')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(999));
    expect(retry).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(1));
    expect(retry).toHaveBeenCalledTimes(2);
  });

  it('a lost network offers to retry now with the keyboard', async () => {
    const retry = vi.fn();
    renderScreen({ type: 'network-lost', title: 'Network lost', status: 0 }, retry);
    expect(screen.getByRole('heading', { name: 'Network lost' })).toBeInTheDocument();
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Try again now' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(retry).toHaveBeenCalled();
  });
});

describe('ProblemScreen ways out', () => {
  it('a missing page offers the way back, not "try again"', () => {
    renderScreen({ type: 'not-found', title: 'Sale not found', status: 404, detail: 'There is no sale at this address.' }, () => {});
    expect(screen.getByRole('heading', { name: 'Sale not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See all sales' })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('button', { name: 'Try again now' })).not.toBeInTheDocument();
  });

  it('counts in words: one per customer, "2 units", never "unit(s)"', () => {
    renderScreen({ type: 'https://miaosha.dev/problems/limit-reached', title: 'x', status: 409, limit: 1, unitsHeld: 1 });
    expect(screen.getByRole('alert')).toHaveTextContent('one per customer');
    renderScreen({ type: 'https://miaosha.dev/problems/not-enough-stock', title: 'x', status: 409, unitsLeft: 2 });
    expect(screen.getByText(/Only 2 units left/)).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/\(s\)/);
  });
});
