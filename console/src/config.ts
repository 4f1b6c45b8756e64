/** What the deployment tells the console at start (`/console/config.json`, served beside the console). */
export interface ConsoleConfig {
  /** "local": the development issuer's sign-in page; "oidc": OpenID Connect, authorization code with PKCE. */
  sign_in: "local" | "oidc";
  oidc?: { authority: string; client_id: string; scope?: string };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: "no-cache" });
  if (!response.ok) {
    return { sign_in: "local" };
  }
  return (await response.json()) as ConsoleConfig;
}
