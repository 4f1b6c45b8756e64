import { InMemoryWebStorage, UserManager, WebStorageStateStore } from "oidc-client-ts";
import type { ConsoleConfig } from "../config";
import { type Session, sessionOfToken } from "./session";

/**
 * Production sign-in: OpenID Connect authorization code with PKCE against the configured provider
 * (oidc-client-ts). The user and the PKCE state live in memory; the provider's own session makes a reload a
 * quick redirect.
 */
let manager: UserManager | null = null;

export function oidcManager(config: ConsoleConfig): UserManager {
  if (!config.oidc) throw new Error("the console's config.json names no OpenID provider");
  if (!manager) {
    const base = `${window.location.origin}${import.meta.env.BASE_URL}`;
    const store = new WebStorageStateStore({ store: new InMemoryWebStorage() });
    manager = new UserManager({
      authority: config.oidc.authority,
      client_id: config.oidc.client_id,
      redirect_uri: `${base}auth/callback`,
      post_logout_redirect_uri: base,
      response_type: "code",
      scope: config.oidc.scope ?? "openid profile",
      userStore: store,
      // The state of the redirect must survive the navigation to the provider: session storage, one tab only.
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: false,
    });
  }
  return manager;
}

export async function startOidcSignIn(config: ConsoleConfig, returnTo: string): Promise<void> {
  await oidcManager(config).signinRedirect({ state: { returnTo } });
}

export async function completeOidcSignIn(config: ConsoleConfig): Promise<{ session: Session; returnTo: string }> {
  const userManager = oidcManager(config);
  const user = await userManager.signinRedirectCallback();
  const session = sessionOfToken(user.access_token, async () => {
    await userManager.signoutRedirect();
  });
  const state = (user.state ?? {}) as { returnTo?: string };
  return { session, returnTo: state.returnTo ?? "/" };
}
