/** The waiting-room protocol (see the queue-gateway README and the waiting-room contract). */
export type SaleState = 'upcoming' | 'live' | 'paused' | 'sold_out' | 'ended' | 'cancelled';
/** The shopper's honest chance of a unit (never a promise): see the gateway's Chance. */
export type Chance = 'likely' | 'possible' | 'unlikely' | 'none';
export type ClosedReason = 'sold_out' | 'ended' | 'cancelled' | 'window_expired' | 'left';

export type ServerMessage =
  | { type: 'position'; ahead: number; queueLength: number; waitSeconds: { min: number; max: number }; admittedPerMinute: number; chance?: Chance }
  | { type: 'admitted'; token: string; windowEndsAt: string }
  | { type: 'sale'; state: SaleState; unitsLeft: number; opensAt?: string; closesAt?: string; unpaidHolds?: number | null; nextHoldEndsAt?: string | null }
  | { type: 'draw'; ticketId: string; commitment: string; revealAt: string }
  | { type: 'order'; orderId: string; status: string }
  | { type: 'closed'; reason: ClosedReason }
  | { type: 'error'; reason: string; message: string };

export const SUBPROTOCOL = 'miaosha.v1';

export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as { type?: unknown };
    const known = ['position', 'admitted', 'sale', 'draw', 'order', 'closed', 'error'];
    return typeof message.type === 'string' && known.includes(message.type) ? (message as ServerMessage) : null;
  } catch {
    return null;
  }
}
