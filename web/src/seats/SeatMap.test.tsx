import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SeatLayout } from '../api/types';
import { SeatMap } from './SeatMap';
import { seatModel } from './seatLayout';
import { applySnapshot, emptySeatState } from './seatState';

const layout: SeatLayout = {
  saleId: 1, venueId: 1, currency: 'GBP',
  areas: [{ ordinal: 1, name: 'Stalls', priceTier: 'A', priceMinor: 4000, firstPosition: 0, seatCount: 4 }],
  seats: { id: [1, 2, 3, 4], area: [1, 1, 1, 1], row: ['1', '1', '2', '2'], label: ['1', '2', '1', '2'], x: [0, 10, 0, 10], y: [0, 0, 10, 10] },
};
const model = seatModel(layout);

beforeAll(() => {
  // jsdom has neither: the map measures its box and draws on a canvas, which these tests do not look at.
  globalThis.ResizeObserver ??= class { observe() {} unobserve() {} disconnect() {} } as unknown as typeof ResizeObserver;
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});

describe('SeatMap keyboard and screen reader', () => {
  it('arrow keys move the labelled seat, Enter selects a free one, a taken one is not selectable', async () => {
    const state = applySnapshot(emptySeatState(4), '0010', '1-0').state;
    const onToggle = vi.fn();
    render(<SeatMap model={model} state={state} onToggle={onToggle} canSelect />);
    const seat = screen.getByTestId('seat-focus');
    await userEvent.tab();
    await userEvent.tab();
    await userEvent.tab();
    await userEvent.tab();
    expect(seat).toHaveFocus();
    expect(seat).toHaveAccessibleName('Stalls, row 1, seat 1, £40.00, free');
    await userEvent.keyboard('{ArrowRight}');
    expect(seat).toHaveAccessibleName('Stalls, row 1, seat 2, £40.00, free');
    await userEvent.keyboard('{Enter}');
    expect(onToggle).toHaveBeenLastCalledWith(1);
    await userEvent.keyboard('{ArrowDown}');
    expect(seat).toHaveAccessibleName('Stalls, row 2, seat 2, £40.00, free');
    await userEvent.keyboard('{ArrowLeft}');
    expect(seat).toHaveAccessibleName('Stalls, row 2, seat 1, £40.00, held by another shopper');
    expect(seat).toHaveAttribute('aria-disabled', 'true');
    await userEvent.keyboard(' ');
    expect(onToggle).toHaveBeenCalledTimes(1);
    await userEvent.keyboard('{ArrowUp}{Home}');
    expect(seat).toHaveAccessibleName('Stalls, row 1, seat 1, £40.00, free');
  });

  it('says a selected seat is selected and pressed', () => {
    const state = { ...applySnapshot(emptySeatState(4), '0000', '1-0').state, selected: [0] };
    render(<SeatMap model={model} state={state} onToggle={() => {}} canSelect />);
    const seat = screen.getByTestId('seat-focus');
    expect(seat).toHaveAccessibleName('Stalls, row 1, seat 1, £40.00, selected');
    expect(seat).toHaveAttribute('aria-pressed', 'true');
  });
});
