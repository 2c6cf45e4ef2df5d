/**
 * The proof-of-work a join costs (ALTCHA): the gateway issues a challenge for the sale
 * (`GET /ws/sales/{id}/challenge`), the `altcha` widget solves it in Web Workers, and its payload
 * travels with the join as the socket's `altcha` query parameter. Every (re)connect takes a fresh
 * one: the gateway spends each solution once. The widget is loaded only when a shopper joins.
 */
export type JoinProof = () => Promise<string>;

export function challengeUrl(saleId: number): string {
  return `/ws/sales/${saleId}/challenge`;
}

/** The socket address with a solution attached. */
export function withProof(url: string, payload: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}altcha=${encodeURIComponent(payload)}`;
}

/** Where the widget shows its work: the waiting room's slot, or (not shown) a hidden one of its own. */
function widgetHost(): HTMLElement {
  const slot = document.getElementById('join-proof');
  if (slot) return slot;
  let hidden = document.getElementById('join-proof-hidden');
  if (!hidden) {
    hidden = document.createElement('div');
    hidden.id = 'join-proof-hidden';
    hidden.hidden = true;
    document.body.appendChild(hidden);
  }
  return hidden;
}

/** Fetches the sale's challenge and has the widget solve it; resolves with the widget's payload. */
export function widgetProof(saleId: number, fetchChallenge: typeof fetch = (...args) => fetch(...args)): JoinProof {
  return async () => {
    const response = await fetchChallenge(challengeUrl(saleId), { cache: 'no-store' });
    if (!response.ok) throw new Error(`challenge: HTTP ${response.status}`);
    const challenge = await response.json();
    await import('altcha');
    const host = widgetHost();
    let widget = host.querySelector('altcha-widget');
    if (!widget) {
      widget = document.createElement('altcha-widget');
      host.appendChild(widget);
    }
    // The page decides when to solve (on join and on every reconnect); no minimum show time.
    await widget.configure({ challenge, auto: 'off', minDuration: 0, hideFooter: true });
    const result = await widget.verify();
    if (!result?.payload) throw new Error('the proof-of-work was not solved');
    return result.payload;
  };
}
