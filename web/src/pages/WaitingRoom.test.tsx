import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Provider } from 'react-redux';
import { initialQueueState, type QueueState } from '../queue/queueState';
import { makeStore } from '../store';
import { WaitingRoom } from './SalePage';

const waiting = (over: Partial<QueueState> = {}): QueueState => ({
  ...initialQueueState(20),
  connection: 'open',
  ahead: 12,
  queueLength: 340,
  waitSeconds: { min: 30, max: 60 },
  admittedPerMinute: 42,
  ...over,
});

describe('WaitingRoom', () => {
  it('shows position, people ahead, the wait as a range and progress, in plain words', () => {
    render(<WaitingRoom state={waiting()} onLeave={() => {}} />);
    expect(screen.getByTestId('position')).toHaveTextContent('13');
    expect(screen.getByTestId('ahead')).toHaveTextContent('12');
    expect(screen.getByTestId('wait')).toHaveTextContent('30 seconds to 1 minute');
    expect(screen.getByRole('progressbar', { name: 'Progress through the queue' })).toHaveAttribute('aria-valuenow', '38');
    expect(screen.getByText(/Refreshing this page keeps your place/)).toBeInTheDocument();
    expect(screen.queryByTestId('reconnecting')).not.toBeInTheDocument();
  });

  it('tells the honest chance in words, and says when the queue is paused and why', () => {
    const { unmount } = render(<WaitingRoom state={waiting({ chance: 'unlikely' })} onLeave={() => {}} />);
    expect(screen.getByTestId('chance')).toHaveTextContent('Your chance: unlikely. More shoppers are ahead of you than units that may still come free.');
    unmount();
    render(<WaitingRoom state={waiting({ chance: 'possible', sale: { state: 'paused', unitsLeft: 0, unpaidHolds: 3, nextHoldEndsAt: '2026-12-01T12:00:00Z' } })} onLeave={() => {}} />);
    expect(screen.getByTestId('queue-paused')).toHaveTextContent(/Paused: every unit left is in another shopper's cart.*3 unpaid carts may still give units back; the first runs out at .*Your place is kept\./);
    expect(screen.getByTestId('wait')).toHaveTextContent('Paused');
    expect(screen.queryByTestId('chance')).not.toBeInTheDocument();
  });

  it('says it is reconnecting, and that the place is kept, while the socket is down', () => {
    render(<WaitingRoom state={waiting({ connection: 'reconnecting' })} onLeave={() => {}} />);
    expect(screen.getByTestId('reconnecting')).toHaveTextContent('reconnecting… Your place is kept.');
    expect(screen.getByTestId('position')).toHaveTextContent('13');
  });

  it('keeps its numbers in fixed-width figures so a change does not move the layout', () => {
    const { rerender } = render(<WaitingRoom state={waiting()} onLeave={() => {}} />);
    rerender(<WaitingRoom state={waiting({ ahead: 1 })} onLeave={() => {}} />);
    expect(screen.getByTestId('position')).toHaveClass('tabular');
    expect(screen.getByTestId('position')).toHaveTextContent('2');
  });

  it('leaving is one keyboard-reachable button', async () => {
    const leave = vi.fn();
    render(<WaitingRoom state={waiting()} onLeave={leave} />);
    await userEvent.click(screen.getByRole('button', { name: 'Leave the queue' }));
    expect(leave).toHaveBeenCalledTimes(1);
  });
});

describe('WaitingRoom errors', () => {
  it('shows the waiting room’s own words while it keeps retrying', () => {
    render(<WaitingRoom state={waiting({ connection: 'reconnecting', ahead: null, error: { reason: 'sale-not-available', message: 'This sale has no waiting room yet.' } })} onLeave={() => {}} />);
    expect(screen.getByTestId('queue-error')).toHaveTextContent('This sale has no waiting room yet. We keep trying.');
    expect(screen.queryByTestId('reconnecting')).not.toBeInTheDocument();
  });

  it('the shopper at the front is told they are next', () => {
    render(<WaitingRoom state={waiting({ ahead: 0 })} onLeave={() => {}} />);
    expect(screen.getByTestId('wait')).toHaveTextContent('You are next');
  });
});

describe('WaitingRoom figures', () => {
  it('shows the let-in rate, when it was updated, and the real window length', () => {
    render(<WaitingRoom state={waiting({ updatedAt: 10_000 })} onLeave={() => {}} windowSeconds={60} now={15_000} />);
    expect(screen.getByTestId('rate')).toHaveTextContent('42');
    expect(screen.getByTestId('updated')).toHaveTextContent('Updated 5 s ago');
    expect(screen.getByText(/you get 1 minute to buy/)).toBeInTheDocument();
  });
});

describe('WaitingRoom draw ticket', () => {
  it('shows the ticket id of a shopper in the draw, with the page that checks it', () => {
    const draw = { ticketId: '3f9c0a1b2c3d4e5f', commitment: 'ab'.repeat(32), revealAt: '2026-12-01T18:00:00Z' };
    // Before the opening: the ticket, not yet a place (the draw is not asked for).
    render(<Provider store={makeStore()}><WaitingRoom state={waiting({ draw })} onLeave={() => {}} saleId={7} now={Date.parse('2026-12-01T17:00:00Z')} /></Provider>);
    expect(screen.getByTestId('ticket-id')).toHaveTextContent('3f9c0a1b2c3d4e5f');
    expect(screen.getByRole('link', { name: 'Check the draw' })).toHaveAttribute('href', '/sales/7/draw?ticket=3f9c0a1b2c3d4e5f');
  });

  it('shows no ticket to a shopper who joined after the opening', () => {
    render(<WaitingRoom state={waiting()} onLeave={() => {}} saleId={7} />);
    expect(screen.queryByTestId('draw-ticket')).not.toBeInTheDocument();
  });
});
