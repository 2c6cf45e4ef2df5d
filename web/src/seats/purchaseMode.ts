/**
 * What a sale page offers to buy. The sale says whether it is seated, so a unit sale never asks for a
 * layout; a seated sale never offers the unit purchase (the API would refuse it), not even while its
 * layout and seat map load or when they could not be read.
 */
export type PurchaseMode = 'units' | 'loading' | 'seats' | 'unavailable';

export function purchaseMode(seated: boolean | undefined, layoutReady: boolean, layoutFailed: boolean): PurchaseMode {
  if (!seated) return 'units';
  if (layoutReady) return 'seats';
  return layoutFailed ? 'unavailable' : 'loading';
}
