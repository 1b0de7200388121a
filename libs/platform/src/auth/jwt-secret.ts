import { Logger } from '@nestjs/common';
import { loadDevDefaults } from '../config/dev-defaults';

/** Injection token of the HS256 secret the guard verifies tokens with. */
export const JWT_SECRET = Symbol('JWT_SECRET');

let warned = false;

/** JWT_SECRET from the environment, else the shared dev default (with one warning per process). */
export function resolveJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.JWT_SECRET;
  if (fromEnv) return fromEnv;
  if (!warned) {
    warned = true;
    new Logger('Auth').warn('JWT_SECRET is not set: using the development secret from config/dev-defaults.json');
  }
  return loadDevDefaults().jwtSecret;
}
