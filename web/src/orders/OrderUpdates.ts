import { ReconnectingSocket, type SocketState } from '../lib/ReconnectingSocket';

/** The gateway's subprotocol (as the queue socket's, src/queue/messages.ts), beside the "bearer." entry. */
const SUBPROTOCOL = 'miaosha.v1';

export type OrderUpdatesState = SocketState;
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
export class OrderUpdates extends ReconnectingSocket {
  private readonly options: Required<OrderUpdatesOptions>;

  constructor(options: OrderUpdatesOptions) {
    super();
    this.options = { createSocket: (url, protocols) => new WebSocket(url, protocols), backoffMs: orderUpdatesBackoff, ...options };
  }

  protected createSocket(): WebSocket {
    return this.options.createSocket(this.options.url, [SUBPROTOCOL, `bearer.${this.options.sessionToken}`]);
  }

  /** Open once the gateway says it listens for this page, not at the handshake. */
  protected onSocketOpen(): void {}

  protected onFrame(data: unknown): void {
    const message = parse(data);
    if (message?.type === 'subscribed') {
      this.connected();
      this.options.onSubscribed();
    } else if (message?.type === 'order' && typeof message.orderId === 'string' && typeof message.status === 'string') {
      this.options.onOrder({ orderId: message.orderId, status: message.status });
    }
  }

  protected onState(state: OrderUpdatesState): void {
    this.options.onConnection(state);
  }

  /** 1008: too many tabs, or a page that talked: asking again would be refused the same way. */
  protected isFinal(code: number): boolean {
    return code === 1008;
  }

  protected retryDelay(_code: number, attempt: number): number {
    return this.options.backoffMs(attempt);
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
