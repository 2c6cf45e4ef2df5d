/** The gateway's subprotocol (as the queue socket's, src/queue/messages.ts), beside the "bearer." entry. */
const SUBPROTOCOL = 'miaosha.v1';

export type OrderUpdatesState = 'connecting' | 'open' | 'reconnecting' | 'closed';
export interface OrderUpdate { orderId: string; status: string }

export interface OrderUpdatesOptions {
  url: string;
  sessionToken: string;
  /** The gateway now tells this page every change: read the order once (a change while away is not replayed). */
  onSubscribed: () => void;
  onOrder: (update: OrderUpdate) => void;
  onConnection: (state: OrderUpdatesState) => void;
  /** Injected in tests; the browser's WebSocket otherwise. */
  createSocket?: (url: string, protocols: string[]) => WebSocket;
  backoffMs?: (attempt: number) => number;
}

/** Back-off after losing the socket: quick at first (a redeploy), then every 15 s at most. */
export const orderUpdatesBackoff = (attempt: number) => Math.min(15_000, 500 * 2 ** attempt) + Math.floor(Math.random() * 250);

/**
 * The signed-in shopper's order changes (/ws/me/orders): {"type":"subscribed"} once the gateway
 * listens for this page, then {"type":"order",…} on each change of any of the shopper's orders. A lost
 * socket is reopened with back-off (a refused session looks the same to a browser, 1006); a socket the
 * gateway ended on purpose (1008: too many tabs, or a page that talked) is not asked again.
 */
export class OrderUpdates {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private finished = false;
  private readonly options: Required<OrderUpdatesOptions>;

  constructor(options: OrderUpdatesOptions) {
    this.options = { createSocket: (url, protocols) => new WebSocket(url, protocols), backoffMs: orderUpdatesBackoff, ...options };
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
    const socket = this.options.createSocket(this.options.url, [SUBPROTOCOL, `bearer.${this.options.sessionToken}`]);
    this.socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      const message = parse(event.data);
      if (message?.type === 'subscribed') {
        this.attempt = 0;
        this.options.onConnection('open');
        this.options.onSubscribed();
      } else if (message?.type === 'order' && typeof message.orderId === 'string' && typeof message.status === 'string') {
        this.options.onOrder({ orderId: message.orderId, status: message.status });
      }
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.finished || event.code === 1008) {
        this.finished = true;
        this.options.onConnection('closed');
        return;
      }
      this.options.onConnection('reconnecting');
      this.timer = setTimeout(() => {
        this.timer = null;
        this.connect();
      }, this.options.backoffMs(this.attempt++));
    };
  }
}

function parse(data: unknown): { type?: unknown; orderId?: unknown; status?: unknown } | null {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

export function orderUpdatesUrl(location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/me/orders`;
}
