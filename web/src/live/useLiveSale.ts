import { useEffect, useRef, useState } from 'react';
import type { SeatFrame } from '../seats/seatState';
import { LiveConnection, liveUrl, type LiveConnectionState, type LiveSaleState } from './LiveConnection';

export interface LiveSale {
  sale: LiveSaleState | null;
  connection: LiveConnectionState;
  /** When the feed last told this page the sale's state (ms). */
  updatedAt: number | null;
}

/** The sale's live state for this page, signed in or not: units left and status as they change. */
export function useLiveSale(saleId: number, enabled = true, onSeats?: (frame: SeatFrame) => void): LiveSale {
  const [live, setLive] = useState<LiveSale>({ sale: null, connection: 'connecting', updatedAt: null });
  // The seat frames go to whoever draws the map now (a ref: a new handler must not reopen the socket).
  const seats = useRef(onSeats);
  seats.current = onSeats;
  useEffect(() => {
    if (!enabled) return;
    const connection = new LiveConnection({
      url: liveUrl(saleId),
      onSale: (sale, at) => setLive((l) => ({ ...l, sale, updatedAt: at })),
      onConnection: (state) => setLive((l) => ({ ...l, connection: state })),
      onSeats: (frame) => seats.current?.(frame),
    });
    connection.open();
    return () => connection.close();
  }, [saleId, enabled]);
  return live;
}
