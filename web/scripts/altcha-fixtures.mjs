// Test data for queue-gateway's WidgetSolutionsTest: challenges in the gateway's format (ALTCHA v1,
// SHA-256, signed with the test profile's key, salt carrying expires and sale), solved by the altcha
// package's own solver the way its widget solves a v1 challenge (the challenge turned into its v2
// parameters, counter as a decimal string). Run from web/: node scripts/altcha-fixtures.mjs
// It writes queue-gateway/src/test/resources/altcha/widget-solutions.json (committed).
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sha, solveChallenge } from 'altcha/lib';

const KEY = 'local-dev-pow-key-change-me-in-production';
const EXPIRES = 4102444800; // 2100-01-01: the fixtures outlive the repository
const hex = (bytes) => Buffer.from(bytes).toString('hex');

const fixtures = [];
for (const [saleId, maxNumber] of [[7, 1000], [7, 50000], [42, 50000], [9000001, 200000]]) {
  const salt = `${hex(randomBytes(12))}?expires=${EXPIRES}&sale=${saleId}&`;
  const number = randomInt(maxNumber);
  const challenge = createHash('sha256').update(salt + number).digest('hex');
  const signature = createHmac('sha256', KEY).update(challenge).digest('hex');
  // As the widget's createChallengeFromV1 does before handing the challenge to its solver.
  const parameters = { algorithm: 'SHA-256', cost: 1, keyLength: 32, nonce: hex(new TextEncoder().encode(salt)), keyPrefix: challenge, salt: '' };
  const started = performance.now();
  const solution = await solveChallenge({ challenge: { parameters, signature }, deriveKey: sha.deriveKey, counterMode: 'string' });
  const took = Math.round(performance.now() - started);
  if (!solution || solution.counter !== number) throw new Error(`the solver found ${solution?.counter}, the number was ${number}`);
  // As the widget's createPayloadV1 does with the solution.
  const payload = Buffer.from(JSON.stringify({ algorithm: 'SHA-256', challenge, number: solution.counter, salt, signature, took })).toString('base64');
  fixtures.push({ saleId, maxNumber, number, payload, tookMs: took });
  console.log(`sale ${saleId}: number ${number} of ${maxNumber} in ${took} ms`);
}
writeFileSync(new URL('../../queue-gateway/src/test/resources/altcha/widget-solutions.json', import.meta.url),
  JSON.stringify({ generatedBy: 'web/scripts/altcha-fixtures.mjs', altcha: '3.2.2', fixtures }, null, 2) + '\n');
