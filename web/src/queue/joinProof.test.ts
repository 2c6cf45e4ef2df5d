import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueueConnection } from './QueueConnection';
import { challengeUrl, widgetProof, withProof } from './joinProof';

// jsdom has no Web Workers, so the widget's solver cannot run here (the browser scenario
// "proof-of-work step" runs the real one in Chromium): this stand-in records what the page asks of
// the widget, and answers as the widget does, with the base64 payload.
const configured: unknown[] = [];
vi.mock('altcha', () => {
  class FakeAltchaWidget extends HTMLElement {
    async configure(config: unknown) { configured.push(config); }
    async verify() { return { payload: `payload-${configured.length}+/=` }; }
  }
  if (!customElements.get('altcha-widget')) customElements.define('altcha-widget', FakeAltchaWidget);
  return {};
});

const challenge = { algorithm: 'SHA-256', challenge: 'ab', maxnumber: 50000, salt: 's?expires=1&sale=7&', signature: 'cd' };

describe('the join proof-of-work', () => {
  afterEach(() => {
    configured.length = 0;
    document.body.innerHTML = '';
    vi.useRealTimers();
  });

  it("hands the sale's challenge to the widget in the waiting room and resolves with its payload", async () => {
    document.body.innerHTML = '<div id="join-proof"></div>';
    const fetchChallenge = vi.fn(async () => new Response(JSON.stringify(challenge), { status: 200 }));

    const payload = await widgetProof(7, fetchChallenge as unknown as typeof fetch)();

    expect(fetchChallenge).toHaveBeenCalledWith('/ws/sales/7/challenge', { cache: 'no-store' });
    expect(configured).toEqual([{ challenge, auto: 'off', minDuration: 0, hideFooter: true }]);
    expect(document.querySelector('#join-proof altcha-widget')).not.toBeNull();
    expect(payload).toBe('payload-1+/=');
  });

  it('fails when the gateway gives no challenge, so the connection retries later', async () => {
    const fetchChallenge = vi.fn(async () => new Response('{}', { status: 503 }));
    await expect(widgetProof(7, fetchChallenge as unknown as typeof fetch)()).rejects.toThrow('HTTP 503');
    expect(configured).toEqual([]);
  });

  it('puts the payload, percent-encoded, in the socket address', () => {
    expect(challengeUrl(42)).toBe('/ws/sales/42/challenge');
    expect(withProof('ws://shop/ws/sales/7/queue', 'a+b/c=')).toBe('ws://shop/ws/sales/7/queue?altcha=a%2Bb%2Fc%3D');
  });

  it('solves a fresh proof for every reconnect, and a failed one is retried with back-off', async () => {
    vi.useFakeTimers();
    const urls: string[] = [];
    const sockets: { onclose: (() => void) | null; onopen: (() => void) | null }[] = [];
    let proofs = 0;
    const connection = new QueueConnection({
      url: 'ws://shop/ws/sales/7/queue',
      sessionToken: 'jwt',
      onMessage: () => {},
      onConnection: () => {},
      createSocket: (url) => {
        urls.push(url);
        const socket = { onclose: null, onopen: null, onmessage: null, close() {} };
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
      backoffMs: () => 1000,
      proof: async () => {
        proofs++;
        if (proofs === 2) throw new Error('no challenge');
        return `p${proofs}`;
      },
    });
    connection.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(urls).toEqual(['ws://shop/ws/sales/7/queue?altcha=p1']);

    sockets[0].onclose?.();
    await vi.advanceTimersByTimeAsync(1000); // reconnect: this proof fails
    expect(urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000); // and the next one opens with a fresh solution
    expect(urls).toEqual(['ws://shop/ws/sales/7/queue?altcha=p1', 'ws://shop/ws/sales/7/queue?altcha=p3']);
    connection.close();
  });
});
