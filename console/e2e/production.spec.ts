import { expect, test } from "@playwright/test";
import { shot, useEnglish } from "./support";

const PRODUCTION = process.env.CONSOLE_E2E_PRODUCTION_URL;

/**
 * The development sign-in refused by a platform with production settings: the console's sign-in calls are sent to
 * a directory service started with ENVIRONMENT=production (tests/e2e/test_console.py), which must refuse them, and
 * the page must say so.
 */
test("the development sign-in is refused when the platform runs with production settings", async ({
  page,
  request,
}) => {
  test.skip(!PRODUCTION, "CONSOLE_E2E_PRODUCTION_URL names no production directory service");
  await useEnglish(page);
  await page.route("**/directory/v1/sign-in/**", async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${PRODUCTION}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  });
  await page.goto("sign-in");
  await expect(page.getByRole("alert")).toContainText(/production/i);
  await expect(page.getByRole("button", { name: "Sign in" }).last()).toBeDisabled();
  await shot(page, "dev-sign-in-refused-in-production");

  const minted = await request.post(`${PRODUCTION}/directory/v1/sign-in/token`, {
    data: { role: "bureau_officer" },
  });
  expect(minted.status()).toBe(403);
  expect((await minted.json()).detail).toMatch(/production/i);
});
