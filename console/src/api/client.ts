import { currentSession } from "../auth/session";
import i18n from "../i18n";
import { client } from "./generated/client.gen";
import { ApiError, type Problem } from "./problem";

/**
 * The generated client, configured once: same origin as the console (the embedded root or the gateway), the
 * signed-in user's token, the user's language, and every refusal thrown as an ApiError carrying the problem.
 */
export function configureClient(baseUrl = ""): void {
  client.setConfig({ baseUrl, throwOnError: true });
  client.interceptors.request.use((request) => {
    const session = currentSession();
    if (session) request.headers.set("Authorization", `Bearer ${session.accessToken}`);
    request.headers.set("Accept-Language", i18n.language === "en" ? "en" : "zh-CN");
    return request;
  });
  client.interceptors.error.use((error, response) => {
    if (!response) return error;
    const problem: Problem =
      error && typeof error === "object" ? (error as Problem) : { title: String(error || response.statusText) };
    return new ApiError(response.status, problem, response.headers);
  });
}

/** The version a read handed out (its ETag), for a change with If-Match. */
export function etagOf(response: Response | undefined): string | undefined {
  return response?.headers.get("ETag") ?? undefined;
}

/** A fresh Idempotency-Key for one user action (kept across its retries, so a retry never acts twice). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export { client };
