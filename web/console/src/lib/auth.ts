import { useSyncExternalStore } from 'react';

/** Who is signed in, read from the bearer token's claims (the server verifies; this only decides what to show). */
export interface Session {
  token: string;
  name: string;
  roles: string[];
  resellerId?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

const KEY = 'lp.console.token';
const listeners = new Set<() => void>();
let current: Session | null = readStored();

function decode(token: string): Session | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = decodeURIComponent(
      atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
        .split('')
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const claims = JSON.parse(json) as { sub?: string; name?: string; roles?: unknown; resellerId?: string; exp?: number };
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
    return { token, name: claims.name ?? claims.sub ?? '', roles, resellerId: claims.resellerId, exp: claims.exp };
  } catch {
    return null;
  }
}

function expired(session: Session): boolean {
  return session.exp !== undefined && session.exp * 1000 <= Date.now();
}

function readStored(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? decode(token) : null;
  return session && !expired(session) ? session : null;
}


function publish(next: Session | null) {
  current = next;
  listeners.forEach((listener) => listener());
}

/** Keeps the token for this tab only; a token that is not a JWT is refused here rather than by every call. */
export function signIn(token: string): Session | null {
  const session = decode(token.trim());
  if (!session || expired(session)) return null;
  sessionStorage.setItem(KEY, session.token);
  publish(session);
  return session;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  publish(null);
}

export const getSession = () => current;

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

export const isDistributor = (session: Session | null) => !!session?.roles.includes('distributor-admin');
export const isAdmin = (session: Session | null) => !!session && (session.roles.includes('admin-agent') || isDistributor(session));

const ROLE_LABELS: Record<string, string> = {
  'admin-agent': '管理エージェント',
  'sales-agent': '販売代理店',
  'distributor-admin': 'ディストリビューター',
};
export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;
