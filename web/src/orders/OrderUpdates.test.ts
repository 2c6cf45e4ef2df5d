import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrderUpdates, orderUpdatesUrl, type OrderUpdate, type OrderUpdatesState } from './OrderUpdates';

/** A WebSocket stand-in the test drives by hand: the browser API, not a server, is what is replaced. */
class FakeSocket {
  closedWith: number | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string, readonly protocols: string[]) {}
  close(code: number) { this.closedWith = code; }
  serverSends(message: object) { this.onmessage?.({ data: JSON.stringify(message) }); }
  closes(code: number) { this.onclose?.({ code }); }
}

describe('OrderUpdates', () => {
  let sockets: FakeSocket[];
  let states: OrderUpdatesState[];
  let orders: OrderUpdate[];
  let subscribed: number;
  let updates: OrderUpdates;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    orders = [];
    subscribed = 0;
    updates = new OrderUpdates({
      url: 'ws://shop/ws/me/orders',
      sessionToken: 'jwt',
      onSubscribed: () => subscribed++,
      onOrder: (o) => orders.push(o),
      onConnection: (c) => states.push(c),
      createSocket: (url, protocols) => {
        const s = new FakeSocket(url, protocols);
        sockets.push(s);
        return s as unknown as WebSocket;
      },
      backoffMs: (attempt) => 100 * (attempt + 1),
    });
  });

  afterEach(() => {
    updates.close();
    vi.useRealTimers();
  });

  it('sends the session as a subprotocol entry and is open once the gateway says it listens', () => {
    updates.open();
    expect(sockets[0].protocols).toEqual(['miaosha.v1', 'bearer.jwt']);
    expect(states).toEqual(['connecting']);
    sockets[0].serverSends({ type: 'subscribed' });
    expect(states).toEqual(['connecting', 'open']);
    expect(subscribed).toBe(1);
    sockets[0].serverSends({ type: 'order', orderId: 'o-1', status: 'PAID' });
    expect(orders).toEqual([{ orderId: 'o-1', status: 'PAID' }]);
  });

  it('says it is reconnecting when the socket is lost, opens again with back-off and reads the order again', () => {
    updates.open();
    sockets[0].serverSends({ type: 'subscribed' });
    sockets[0].closes(1006);
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1].serverSends({ type: 'subscribed' });
    expect(states.at(-1)).toBe('open');
    expect(subscribed).toBe(2);
  });

  it('does not ask again after the gateway ended the socket on purpose (1008)', () => {
    updates.open();
    sockets[0].serverSends({ type: 'error', reason: 'too-many-connections', message: '…' });
    sockets[0].closes(1008);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });

  it('ignores frames it does not know and closes its socket normally when the page goes', () => {
    updates.open();
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].serverSends({ type: 'order', orderId: 7 });
    expect(orders).toEqual([]);
    updates.close();
    expect(sockets[0].closedWith).toBe(1000);
  });

  it('builds the socket address from the page address', () => {
    expect(orderUpdatesUrl({ protocol: 'https:', host: 'shop.example' } as Location)).toBe('wss://shop.example/ws/me/orders');
    expect(orderUpdatesUrl({ protocol: 'http:', host: 'localhost:5173' } as Location)).toBe('ws://localhost:5173/ws/me/orders');
  });
});
