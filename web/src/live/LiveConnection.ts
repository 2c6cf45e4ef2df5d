import type { ServerMessage } from '../queue/messages';
import { parseServerMessage } from '../queue/messages';
import { parseSeatFrame, type SeatFrame } from '../seats/seatState';

export type LiveSaleState = Extract<ServerMessage, { type: 'sale' }>;
export type LiveConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

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
export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private finished = false;
  private readonly options: Required<LiveConnectionOptions>;

  constructor(options: LiveConnectionOptions) {
    this.options = { createSocket: (url) => new WebSocket(url), backoffMs: liveBackoff, now: Date.now, onSeats: () => {}, ...options };
  }

  open(): void {
    this.finished = false;
    this.connect();
    window.addEventListener('online', this.reconnectNow);
  }

  close(): void {
    this.finished = true;
    window.removeEventListener('online', this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
  }

  private readonly reconnectNow = () => {
    if (this.finished || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  private connect(): void {
    this.options.onConnection(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.options.createSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onConnection('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      const seats = parseSeatFrame(event.data);
      if (seats) {
        this.options.onSeats(seats);
        return;
      }
      const message = parseServerMessage(event.data);
      if (message?.type === 'sale') this.options.onSale(message, this.options.now());
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      // 1000: the sale is over and the server said so; 4400: this id can never be watched.
      if (this.finished || event.code === 1000 || event.code === 4400) {
        this.finished = true;
        this.options.onConnection('closed');
        return;
      }
      this.options.onConnection('reconnecting');
      // 4404: not armed yet (armed a while before opening): no need to ask often.
      const delay = event.code === 4404 ? Math.max(30_000, this.options.backoffMs(this.attempt++)) : this.options.backoffMs(this.attempt++);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.connect();
      }, delay);
    };
  }
}

export function liveUrl(saleId: number, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/sales/${saleId}/live`;
}
