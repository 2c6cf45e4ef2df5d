import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveConnection, liveUrl, type LiveConnectionState, type LiveSaleState } from './LiveConnection';

/** A WebSocket stand-in the test drives by hand: the browser API, not a server, is what is replaced. */
class FakeSocket {
  readyState = 0;
  closedWith: number | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(readonly url: string) {}
  close(code: number) { this.closedWith = code; this.readyState = 3; }
  serverOpens() { this.readyState = 1; this.onopen?.(); }
  serverSends(message: object) { this.onmessage?.({ data: JSON.stringify(message) }); }
  closes(code: number) { this.readyState = 3; this.onclose?.({ code }); }
}

const sale = (unitsLeft: number): LiveSaleState => ({ type: 'sale', state: 'live', unitsLeft });

describe('LiveConnection', () => {
  let sockets: FakeSocket[];
  let states: LiveConnectionState[];
  let sales: { sale: LiveSaleState; at: number }[];
  let connection: LiveConnection;
  let clock: number;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    sales = [];
    clock = 1_000;
    connection = new LiveConnection({
      url: 'ws://shop/ws/sales/7/live',
      onSale: (s, at) => sales.push({ sale: s, at }),
      onConnection: (c) => states.push(c),
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s as unknown as WebSocket;
      },
      backoffMs: (attempt) => 100 * (attempt + 1),
      now: () => clock,
    });
  });

  afterEach(() => {
    connection.close();
    vi.useRealTimers();
  });

  it('opens without a session and hands on every sale frame with the time it came', () => {
    connection.open();
    expect(sockets[0].url).toBe('ws://shop/ws/sales/7/live');
    sockets[0].serverOpens();
    sockets[0].serverSends(sale(10));
    clock = 4_000;
    sockets[0].serverSends(sale(8));
    sockets[0].serverSends({ type: 'position', ahead: 1 });
    expect(sales).toEqual([{ sale: sale(10), at: 1_000 }, { sale: sale(8), at: 4_000 }]);
    expect(states).toEqual(['connecting', 'open']);
  });

  it('says it is reconnecting when the socket drops and reopens it with growing back-off', () => {
    connection.open();
    sockets[0].serverOpens();
    sockets[0].closes(1006);
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1].closes(1006);
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2].serverOpens();
    expect(states.at(-1)).toBe('open');
  });

  it('stops once the sale is over or the id can never be watched', () => {
    connection.open();
    sockets[0].serverOpens();
    sockets[0].closes(1000);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });

  it('asks again only every 30 s for a sale that is not armed yet', () => {
    connection.open();
    sockets[0].closes(4404);
    vi.advanceTimersByTime(29_999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
  });

  it('builds the address from the page', () => {
    expect(liveUrl(42, { protocol: 'https:', host: 'shop.example' } as Location)).toBe('wss://shop.example/ws/sales/42/live');
  });
});

describe('LiveConnection seat frames', () => {
  it('hands the seats snapshot and the seat-changes frames to onSeats, not to onSale', () => {
    const seats: unknown[] = [];
    const sales: unknown[] = [];
    let socket: FakeSocket | null = null;
    const connection = new LiveConnection({
      url: 'ws://shop/ws/sales/7/live',
      onSale: (s) => sales.push(s),
      onConnection: () => {},
      onSeats: (f) => seats.push(f),
      createSocket: (url) => (socket = new FakeSocket(url)) as unknown as WebSocket,
    });
    connection.open();
    socket!.serverOpens();
    socket!.serverSends({ type: 'sale', state: 'live', unitsLeft: 3 });
    socket!.serverSends({ type: 'seats', states: '0010', changeId: '5-0' });
    socket!.serverSends({ type: 'seat-changes', changes: [{ state: 1, seats: [0] }], changeId: '6-0' });
    expect(sales).toHaveLength(1);
    expect(seats).toEqual([
      { type: 'seats', states: '0010', changeId: '5-0' },
      { type: 'seat-changes', changes: [{ state: 1, seats: [0] }], changeId: '6-0' },
    ]);
    connection.close();
  });
});
