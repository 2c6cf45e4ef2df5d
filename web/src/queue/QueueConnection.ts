import { withProof, type JoinProof } from './joinProof';
import { parseServerMessage, SUBPROTOCOL, type ServerMessage } from './messages';
import type { Connection } from './queueState';

export interface QueueConnectionOptions {
  url: string;
  sessionToken: string;
  onMessage: (message: ServerMessage) => void;
  onConnection: (connection: Connection) => void;
  /** Injected in tests; the browser's WebSocket otherwise. */
  createSocket?: (url: string, protocols: string[]) => WebSocket;
  /** Delay before reconnect attempt n (0-based). */
  backoffMs?: (attempt: number) => number;
  /** Pays for each (re)connect: the join's proof-of-work (see joinProof.ts); none in tests that do not need it. */
  proof?: JoinProof | null;
}

export const defaultBackoff = (attempt: number) =>
  Math.min(5_000, 500 * 2 ** attempt) + Math.floor(Math.random() * 250);

/**
 * One shopper's socket to the waiting room. A dropped socket is reopened with back-off until the
 * server says the visit is over ("closed") or the shopper leaves; the gateway keeps the ticket for
 * a grace period, so a reconnect (or a page reload) keeps the place in the queue.
 */
export class QueueConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private finished = false;
  private readonly options: Required<QueueConnectionOptions>;

  constructor(options: QueueConnectionOptions) {
    this.options = {
      createSocket: (url, protocols) => new WebSocket(url, protocols),
      backoffMs: defaultBackoff,
      proof: null,
      ...options,
    };
  }

  open(): void {
    this.finished = false;
    this.connect();
    window.addEventListener('online', this.reconnectNow);
  }

  /** Leaves the queue for good: the server frees the place at once. */
  leave(): void {
    this.send({ type: 'leave' });
    this.stop('closed');
  }

  /** Closes without leaving (navigation away): the ticket survives the grace period. */
  close(): void {
    this.stop('idle');
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private stop(connection: Connection): void {
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
    this.options.onConnection(connection);
  }

  private readonly reconnectNow = () => {
    if (this.finished || this.socket || (this.options.proof && !this.timer)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  /** Counts connects, so that a proof solved after a stop or a newer connect opens nothing. */
  private generation = 0;

  private connect(): void {
    this.options.onConnection(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const proof = this.options.proof;
    if (!proof) {
      this.openSocket(this.options.url);
      return;
    }
    const generation = ++this.generation;
    proof().then(
      (payload) => {
        if (!this.finished && generation === this.generation) this.openSocket(withProof(this.options.url, payload));
      },
      () => {
        if (!this.finished && generation === this.generation) this.retryLater();
      },
    );
  }

  private retryLater(): void {
    this.options.onConnection('reconnecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, this.options.backoffMs(this.attempt++));
  }

  private openSocket(url: string): void {
    const socket = this.options.createSocket(url, [SUBPROTOCOL, `bearer.${this.options.sessionToken}`]);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onConnection('open');
    };
    socket.onmessage = (event: MessageEvent) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      // Reconnecting cannot change these answers: the visit is over, or the shopper already has the most allowed.
      if (message.type === 'closed' || (message.type === 'error' && FINAL_ERRORS.includes(message.reason))) this.finished = true;
      this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.finished) {
        this.options.onConnection('closed');
        return;
      }
      this.retryLater();
    };
  }
}

/**
 * Reconnecting cannot change these: the shopper has the most allowed, joined too often for now (the
 * message says to wait a minute), or the page is for another sale. A spent, expired or invalid proof
 * is not final: the next connect solves a fresh one.
 */
// email-not-verified: the same session gets the same answer; confirming hands out a new session, and a new page.
const FINAL_ERRORS = ['limit-reached', 'too-many-joins', 'too-many-joins-from-address', 'proof-other-sale', 'email-not-verified'];

export function queueUrl(saleId: number, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/sales/${saleId}/queue`;
}
