/**
 * A what-if for diagnosis only, never part of the product: preloaded into the server child with
 * `BENCH_SERVER_REQUIRE=dist/bench/whatif/jwt-secret-key.js npm run bench`.
 *
 * jsonwebtoken 9 `verify(token, secretString)` first tries `crypto.createPublicKey(secretString)`,
 * which throws for an HMAC secret (~0.6 ms of CPU on every request), before it falls back to
 * `createSecretKey`. This wraps `verify` so a string secret becomes a cached KeyObject once — what
 * JwtAuthGuard would do by keeping `createSecretKey(Buffer.from(secret))` instead of the string.
 */
import { createSecretKey, KeyObject } from 'crypto';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonwebtoken = require('jsonwebtoken');

const original = jsonwebtoken.verify;
const keys = new Map<string, KeyObject>();
jsonwebtoken.verify = function verify(token: string, secret: unknown, ...rest: unknown[]) {
  if (typeof secret === 'string') {
    let key = keys.get(secret);
    if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))));
    secret = key;
  }
  return original.call(this, token, secret, ...rest);
};
