import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueConnection, queueUrl } from './QueueConnection';
import type { ServerMessage } from './messages';
import type { Connection } from './queueState';

/** A WebSocket stand-in the test drives by hand: the browser API, not a server, is what is replaced. */
class FakeSocket {
  static readonly OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string, readonly protocols: string[]) {}
  send(data: string) { this.sent.push(data); }
  close(code: number) { this.closedWith = code; this.readyState = 3; }
  serverOpens() { this.readyState = 1; this.onopen?.(); }
  serverSends(message: ServerMessage) { this.onmessage?.({ data: JSON.stringify(message) }); }
  drops() { this.readyState = 3; this.onclose?.(); }
}

describe('QueueConnection', () => {
  let sockets: FakeSocket[];
  let connections: Connection[];
  let messages: ServerMessage[];
  let connection: QueueConnection;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    sockets = [];
    connections = [];
    messages = [];
    connection = new QueueConnection({
      url: 'ws://shop/ws/sales/7/queue',
      sessionToken: 'session-jwt',
      onMessage: (m) => messages.push(m),
      onConnection: (c) => connections.push(c),
      createSocket: (url, protocols) => {
        const socket = new FakeSocket(url, protocols);
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
      backoffMs: (attempt) => 1000 * (attempt + 1),
    });
  });

  afterEach(() => {
    connection.close();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('offers the protocol and the session token as subprotocols', () => {
    connection.open();
    expect(sockets[0].url).toBe('ws://shop/ws/sales/7/queue');
    expect(sockets[0].protocols).toEqual(['miaosha.v1', 'bearer.session-jwt']);
    sockets[0].serverOpens();
    expect(connections).toEqual(['connecting', 'open']);
  });

  it('reconnects with back-off after a drop and says so', () => {
    connection.open();
    sockets[0].serverOpens();
    sockets[0].drops();
    expect(connections.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1].drops();
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2].serverOpens();
    expect(connections.at(-1)).toBe('open');
  });

  it('reconnects at once when the browser comes back online', () => {
    connection.open();
    sockets[0].drops();
    window.dispatchEvent(new Event('online'));
    expect(sockets).toHaveLength(2);
  });

  it('passes messages on and stops reconnecting once the server closes the visit', () => {
    connection.open();
    sockets[0].serverOpens();
    sockets[0].serverSends({ type: 'position', ahead: 3, queueLength: 9, waitSeconds: { min: 1, max: 4 }, admittedPerMinute: 30 });
    sockets[0].serverSends({ type: 'closed', reason: 'sold_out' });
    sockets[0].drops();
    vi.advanceTimersByTime(60_000);
    expect(messages.map((m) => m.type)).toEqual(['position', 'closed']);
    expect(sockets).toHaveLength(1);
    expect(connections.at(-1)).toBe('closed');
  });

  it('does not reconnect a shopper told the limit is reached, but does after other errors', () => {
    connection.open();
    sockets[0].serverOpens();
    sockets[0].serverSends({ type: 'error', reason: 'unavailable', message: 'The waiting room cannot reach its store right now.' });
    sockets[0].drops();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
    sockets[1].serverOpens();
    sockets[1].serverSends({ type: 'error', reason: 'limit-reached', message: 'You already have 1 of this sale\'s 1 per shopper.' });
    sockets[1].drops();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
    expect(connections.at(-1)).toBe('closed');
  });

  it('ignores frames that are not protocol messages', () => {
    connection.open();
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].onmessage?.({ data: JSON.stringify({ type: 'unknown' }) });
    expect(messages).toEqual([]);
  });

  it('leave tells the server and never reconnects', () => {
    connection.open();
    sockets[0].serverOpens();
    connection.leave();
    expect(sockets[0].sent).toEqual([JSON.stringify({ type: 'leave' })]);
    expect(sockets[0].closedWith).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('builds a same-origin URL, wss behind https', () => {
    expect(queueUrl(7, { protocol: 'https:', host: 'shop.example' } as Location)).toBe('wss://shop.example/ws/sales/7/queue');
    expect(queueUrl(7, { protocol: 'http:', host: 'localhost:8000' } as Location)).toBe('ws://localhost:8000/ws/sales/7/queue');
  });
});
