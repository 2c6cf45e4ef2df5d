/**
 * The pre-opening draw, recomputed in the browser with Web Crypto: the same function as
 * io.miaosha.common.queue.DrawFunction on the server (docs/queue-gateway.md "Verifiable draw").
 *   commitment      = hex(SHA-256(the 32 seed bytes))
 *   value(ticketId) = (first 52 bits of SHA-256(UTF-8 of seedHex + ":" + ticketId) + 1) / (2^52 + 2)
 *   order           = ticket ids by ascending value, equal values by ticket id
 * 52 bits fit a JavaScript number exactly, so the browser gets the very doubles the server sorts by.
 */

const SCALE = 2 ** 52 + 2;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('This browser cannot compute SHA-256 here (Web Crypto needs a secure page, https).');
  return s;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The bytes of a hex string; null when it is not whole bytes of hex. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** SHA-256 of the seed's bytes (not of its text), in hex. */
export async function commitmentOf(seedHex: string): Promise<string> {
  const seed = fromHex(seedHex);
  if (!seed || seed.length !== 32) throw new Error('A seed is 64 hex characters.');
  return toHex(await sha256(seed));
}

/** The first 52 bits of SHA-256(seedHex + ":" + ticketId), as an exact integer. */
export async function drawBits(seedHex: string, ticketId: string): Promise<number> {
  const d = await sha256(new TextEncoder().encode(`${seedHex.toLowerCase()}:${ticketId}`));
  const high32 = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  const next20 = (d[4] << 12) | (d[5] << 4) | (d[6] >> 4);
  return high32 * 2 ** 20 + next20;
}

/** The entrant's value in (0, 1): the lower, the earlier in the queue at opening. */
export async function drawValue(seedHex: string, ticketId: string): Promise<number> {
  return ((await drawBits(seedHex, ticketId)) + 1) / SCALE;
}

/** The ticket ids in the draw's order, computed here from the seed alone. */
export async function drawOrder(seedHex: string, ticketIds: readonly string[]): Promise<string[]> {
  const valued: { id: string; bits: number }[] = [];
  // In slices, so a large draw does not queue a million digests at once.
  for (let i = 0; i < ticketIds.length; i += 2000) {
    const slice = ticketIds.slice(i, i + 2000);
    const bits = await Promise.all(slice.map((id) => drawBits(seedHex, id)));
    slice.forEach((id, j) => valued.push({ id, bits: bits[j] }));
  }
  valued.sort((a, b) => a.bits - b.bits || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return valued.map((v) => v.id);
}

export interface DrawCheck {
  /** SHA-256(seed) is the commitment published before opening. */
  seedMatches: boolean;
  /** The published order is the one the seed gives. */
  orderMatches: boolean;
  /** The order recomputed here. */
  order: string[];
}

export async function checkDraw(seedHex: string, commitment: string, published: readonly string[]): Promise<DrawCheck> {
  const seedMatches = (await commitmentOf(seedHex)) === commitment.toLowerCase();
  const order = await drawOrder(seedHex, published);
  const orderMatches = order.length === published.length && order.every((id, i) => id === published[i]);
  return { seedMatches, orderMatches, order };
}

/** 1-based place of a ticket id in an order, null when it is not an entrant. */
export function placeOf(order: readonly string[], ticketId: string): number | null {
  const i = order.indexOf(ticketId.trim().toLowerCase());
  return i < 0 ? null : i + 1;
}
