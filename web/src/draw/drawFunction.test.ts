import { describe, expect, it } from 'vitest';
import { checkDraw, commitmentOf, drawBits, drawOrder, drawValue, fromHex, placeOf } from './drawFunction';

// The fixed vector of common's DrawFunctionTest (computed independently with Python's hashlib):
// the browser and the server must agree on every digit.
const SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const COMMITMENT = '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd';

describe('the draw function', () => {
  it('commits to the SHA-256 of the seed bytes', async () => {
    expect(await commitmentOf(SEED)).toBe(COMMITMENT);
    expect(await commitmentOf(SEED.toUpperCase())).toBe(COMMITMENT);
  });

  it('gives each ticket id the first 52 bits of SHA-256(seed:ticketId) as its value', async () => {
    expect(await drawBits(SEED, '0123456789abcdef')).toBe(3878546801057746);
    expect(await drawValue(SEED, '0123456789abcdef')).toBe(0.8612103921241111);
    expect(await drawBits(SEED, 'fedcba9876543210')).toBe(1639197199776401);
    expect(await drawValue(SEED, 'fedcba9876543210')).toBe(0.36397489461856863);
    expect(await drawBits(SEED, 'a1b2c3d4e5f60718')).toBe(422389135972939);
    expect(await drawValue(SEED, 'a1b2c3d4e5f60718')).toBe(0.09378922882173675);
  });

  it('orders the entrants by ascending value', async () => {
    expect(await drawOrder(SEED, ['0123456789abcdef', 'fedcba9876543210', 'a1b2c3d4e5f60718']))
      .toEqual(['a1b2c3d4e5f60718', 'fedcba9876543210', '0123456789abcdef']);
  });

  it('checks a published draw: the seed against the commitment, the order against the seed', async () => {
    const published = ['a1b2c3d4e5f60718', 'fedcba9876543210', '0123456789abcdef'];
    expect(await checkDraw(SEED, COMMITMENT, published)).toMatchObject({ seedMatches: true, orderMatches: true });
    const swapped = ['fedcba9876543210', 'a1b2c3d4e5f60718', '0123456789abcdef'];
    expect(await checkDraw(SEED, COMMITMENT, swapped)).toMatchObject({ seedMatches: true, orderMatches: false });
    const otherSeed = SEED.replace(/^00/, '01');
    expect((await checkDraw(otherSeed, COMMITMENT, published)).seedMatches).toBe(false);
  });

  it('finds a ticket id’s place, pasted with stray spaces or capitals', () => {
    const order = ['a1b2c3d4e5f60718', 'fedcba9876543210'];
    expect(placeOf(order, ' FEDCBA9876543210 ')).toBe(2);
    expect(placeOf(order, '0000000000000000')).toBeNull();
  });

  it('refuses what is not a seed', async () => {
    expect(fromHex('0g')).toBeNull();
    await expect(commitmentOf('0001')).rejects.toThrow('64 hex');
  });
});
