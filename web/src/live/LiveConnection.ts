import type { ServerMessage } from '../queue/messages';
import { parseServerMessage } from '../queue/messages';
import { parseSeatFrame, type SeatFrame } from '../seats/seatState';
import { ReconnectingSocket, type SocketState } from '../lib/ReconnectingSocket';

export type LiveSaleState = Extract<ServerMessage, { type: 'sale' }>;
export type LiveConnectionState = SocketState;

export interface LiveConnectionOptions {
  url: string;
  onSale: (sale: LiveSaleState, at: number) => void;
  onConnection: (connection: LiveConnectionState) => void;
  /** A seated sale's map: the `seats` snapshot after `sale`, then the shared `seat-changes` frames. */
  onSeats?: (frame: SeatFrame) => void;
  /** Injected in tests; the browser's WebSocket otherwise. */
  createSocket?: (url: string) => WebSocket;
  backoffMs?: (attempt: number) => number;
  now?: () => number;
}

/** Back-off after losing the feed: quick at first (a redeploy), then every 10 s at most. */
export const liveBackoff = (attempt: number) => Math.min(10_000, 500 * 2 ** attempt) + Math.floor(Math.random() * 250);

/**
 * A sale page's live feed (/ws/sales/{id}/live): no sign-in, the sale's state on open and on every
 * change. A lost socket is reopened with back-off; a sale that is over (the server closes normally
 * after saying so) or an id the gateway cannot take (4400) is not asked again.
 */
export class LiveConnection extends ReconnectingSocket {
  private readonly options: Required<LiveConnectionOptions>;

  constructor(options: LiveConnectionOptions) {
    super();
    this.options = { createSocket: (url) => new WebSocket(url), backoffMs: liveBackoff, now: Date.now, onSeats: () => {}, ...options };
  }

  protected createSocket(): WebSocket {
    return this.options.createSocket(this.options.url);
  }

  protected onFrame(data: unknown): void {
    const seats = parseSeatFrame(data);
    if (seats) {
      this.options.onSeats(seats);
      return;
    }
    const message = parseServerMessage(data);
    if (message?.type === 'sale') this.options.onSale(message, this.options.now());
  }

  protected onState(state: LiveConnectionState): void {
    this.options.onConnection(state);
  }

  /** 1000: the sale is over and the server said so; 4400: this id can never be watched. */
  protected isFinal(code: number): boolean {
    return code === 1000 || code === 4400;
  }

  /** 4404: not armed yet (armed a while before opening): no need to ask often. */
  protected retryDelay(code: number, attempt: number): number {
    const delay = this.options.backoffMs(attempt);
    return code === 4404 ? Math.max(30_000, delay) : delay;
  }
}

export function liveUrl(saleId: number, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/sales/${saleId}/live`;
}
