/** How long a bearer token may live: a leaked token without `exp`, or one for a year, is refused. */
export interface TokenPolicy {
  /** Longest accepted lifetime (exp - iat, and exp - now), in seconds. */
  maxLifetimeSeconds: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME = '24h';
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `24h`, `90m`, `3600` (seconds): the syntax of scripts/token.js's --expires, which checks the same variable. */
export function parseLifetime(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  return match ? Number(match[1]) * SECONDS[match[2] || 's'] : undefined;
}

/** JWT_MAX_LIFETIME from the environment (default 24h); a value that is not a lifetime stops the start. */
export function resolveTokenPolicy(env: NodeJS.ProcessEnv = process.env): TokenPolicy {
  const text = env.JWT_MAX_LIFETIME?.trim() || DEFAULT_MAX_TOKEN_LIFETIME;
  const maxLifetimeSeconds = parseLifetime(text);
  if (!maxLifetimeSeconds) throw new Error(`JWT_MAX_LIFETIME: invalid value ${JSON.stringify(text)} (e.g. 24h, 90m, 3600)`);
  return { maxLifetimeSeconds };
}
