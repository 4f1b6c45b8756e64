import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page } from "@playwright/test";

/** Where the screenshots of each step are kept (a test artefact). */
export const SCREENSHOTS = "test-results/screenshots";

export const API = process.env.CONSOLE_E2E_URL ?? "http://127.0.0.1:8000";

let shots = 0;

/** A full-page screenshot of a step, numbered in the order of the walk. */
export async function shot(page: Page, name: string): Promise<void> {
  shots += 1;
  await page.screenshot({ path: `${SCREENSHOTS}/${String(shots).padStart(2, "0")}-${name}.png`, fullPage: true });
}

/** Switch the console to English (the tests read English labels; zh-CN is the default). */
export async function useEnglish(page: Page): Promise<void> {
  await page.addInitScript(() => window.localStorage.setItem("console.language", "en"));
}

/**
 * Go to a screen of the console the way its links do (the router, no reload): a reload would end the session,
 * which lives in memory only. Paths are relative to the console, as in `page.goto`.
 */
export async function visit(page: Page, path: string): Promise<void> {
  const target = new URL(path, `${API}/console/`);
  await page.evaluate((href) => {
    window.history.pushState({}, "", href);
    window.dispatchEvent(new PopStateEvent("popstate", { state: window.history.state }));
  }, target.pathname + target.search);
}

/**
 * Visit a screen until what is expected shows: for what arrives through the bus (an entitlement opened by an
 * approval, a payment settled by municipal finance), read again as a person would reload the list.
 */
export async function visitUntil(page: Page, path: string, shown: () => Promise<void>, timeout = 30_000) {
  await expect(async () => {
    await visit(page, "./");
    await visit(page, path);
    await shown();
  }).toPass({ timeout, intervals: [500, 1000, 2000] });
}

export interface Identity {
  role: string;
  organisation?: string;
  subject?: string;
}

/**
 * Sign in through the development sign-in page, as a person would: pick the role, then the organisation or type
 * the identity. Returns once the shell shows who is signed in.
 */
export async function signIn(page: Page, who: Identity & { organisationLabel?: string }): Promise<void> {
  await page.goto("sign-in");
  await choose(page, "Role", roleLabel(who.role));
  if (who.organisationLabel) {
    await choose(page, who.role === "employer" ? "Employer" : "Reviewing body", who.organisationLabel);
  }
  if (who.subject) {
    await page.getByLabel(who.role === "expert" ? "Expert id" : "Member identity").fill(who.subject);
  }
  await page.getByRole("button", { name: "Sign in" }).last().click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

/**
 * Pick an option of an Ant Design select, as a person does: open it by its label, click the option shown. (antd
 * also renders a hidden listbox for screen readers; the options a person sees are its `.ant-select-item-option`s.)
 */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByRole("combobox", { name: label });
  const open = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
  // A click on a page still settling can toggle the list shut again: click until it is open.
  await expect(async () => {
    if ((await box.getAttribute("aria-expanded")) !== "true") await box.click({ force: true });
    await expect(box).toHaveAttribute("aria-expanded", "true", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  // A searchable select shows a window of its options (antd's virtual list): typing narrows it to the one wanted.
  if ((await box.getAttribute("readonly")) === null) await box.fill(option);
  await open.locator(".ant-select-item-option").filter({ hasText: option }).first().click();
  // A multiple select stays open after a pick, over the fields below it: close it as a person would.
  if (await open.count()) await box.press("Escape");
}

const ROLE_LABELS: Record<string, string> = {
  employer: "Employer",
  preliminary_reviewer: "Preliminary reviewer (district bureau / competent department)",
  bureau_officer: "Bureau officer",
  committee_member: "Committee member",
  expert: "Foreign expert",
  partner_agency: "Partner agency",
  admin: "Administrator",
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

/** A token from the local issuer, for what a test sets up or checks beside the screens (never a screen's work). */
export async function tokenFor(request: APIRequestContext, who: Identity): Promise<string> {
  const response = await request.post(`${API}/directory/v1/sign-in/token`, {
    data: { role: who.role, organisation: who.organisation ?? null, subject: who.subject ?? null },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).access_token as string;
}

/** axe-core on the page as it is: no serious or critical violation (WCAG 2.1 A and AA rules). */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const grave = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    grave.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `accessibility of ${what}`,
  ).toEqual([]);
}
