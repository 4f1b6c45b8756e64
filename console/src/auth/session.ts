/**
 * The signed-in user, kept in memory only (never localStorage): a reload signs in again, and no script left on
 * the page after sign-out can read a token.
 */
export type Role =
  | "employer"
  | "preliminary_reviewer"
  | "bureau_officer"
  | "committee_member"
  | "expert"
  | "partner_agency"
  | "admin";

export const ROLES: Role[] = [
  "employer",
  "preliminary_reviewer",
  "bureau_officer",
  "committee_member",
  "expert",
  "partner_agency",
  "admin",
];

export interface Session {
  accessToken: string;
  subject: string;
  roles: Role[];
  organisation?: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  signOut?: () => Promise<void>;
}

type Listener = (session: Session | null) => void;

let current: Session | null = null;
const listeners = new Set<Listener>();

export function currentSession(): Session | null {
  if (current && current.expiresAt <= Date.now()) {
    setSession(null);
  }
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The claims of a JWT, unverified: only to show who is signed in (the services verify every token). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

export function sessionOfToken(accessToken: string, signOut?: () => Promise<void>): Session {
  const claims = claimsOf(accessToken);
  const roles = (Array.isArray(claims.roles) ? claims.roles : []).filter((r): r is Role => ROLES.includes(r as Role));
  return {
    accessToken,
    subject: String(claims.sub ?? ""),
    roles,
    organisation: typeof claims.org === "string" ? claims.org : null,
    expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : Date.now() + 3600_000,
    signOut,
  };
}

export function hasAnyRole(session: Session | null, roles: readonly Role[]): boolean {
  return !!session && session.roles.some((role) => roles.includes(role));
}

export const OFFICER_ROLES: Role[] = ["bureau_officer", "admin"];
