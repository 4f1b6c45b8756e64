import { expect, test } from "@playwright/test";
import { API, expectAccessible, shot, signIn, tokenFor, useEnglish, visit } from "./support";

/** The officer's and administrator's operations screens, and the expert's own, through axe-core. */

test("officer: permit cases, the SLA report, a webhook subscription and the delivery log", async ({ page }) => {
  await useEnglish(page);
  await signIn(page, { role: "bureau_officer" });
  await visit(page, "permits/cases");
  await expect(page.getByRole("heading", { name: "Green-channel permit cases" })).toBeVisible();
  await expectAccessible(page, "the permit cases");
  await visit(page, "permits/sla-report");
  await expect(page.getByText(/^As of \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expectAccessible(page, "the SLA report");

  await visit(page, "webhooks/subscriptions");
  // The embedded platform's own entry-exit bureau simulator: the one private target it lets permits subscribe.
  await page.getByLabel("Endpoint URL").fill(`${new URL(API).origin}/entry-exit/webhooks`);
  await page.getByRole("combobox", { name: "Event types" }).click({ force: true });
  await page.locator(".ant-select-item-option", { hasText: "WorkPermitIssued" }).click();
  await page.keyboard.press("Escape");
  await page.getByLabel("Description").fill("Entry-exit bureau (simulator)");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByTestId("secret")).not.toBeEmpty();
  await expect(page.getByRole("cell", { name: "Entry-exit bureau (simulator)" }).first()).toBeVisible();
  await expectAccessible(page, "the webhook subscriptions");
  await shot(page, "officer-webhook-subscribed");
  await visit(page, "webhooks/deliveries");
  await expect(page.getByRole("heading", { name: "Webhook delivery log" })).toBeVisible();
  await expectAccessible(page, "the delivery log");

  await visit(page, "subsidy/annual-runs");
  await expectAccessible(page, "the annual run");
  await visit(page, "subsidy/statistics");
  await expect(page.getByRole("img", { name: "By funding year" }).locator("canvas")).toBeVisible();
  await expectAccessible(page, "the statistics");
  await visit(page, "supervision/breaches");
  await expectAccessible(page, "the breaches");
  await visit(page, "supervision/appeals");
  await expectAccessible(page, "the appeals");
});

test("administrator: the parked messages of every service", async ({ page }) => {
  await useEnglish(page);
  await signIn(page, { role: "admin" });
  await visit(page, "admin/parked");
  for (const service of ["Applications", "Review", "Subsidy", "Permits", "Directory"]) {
    await expect(page.getByText(new RegExp(`^${service}: \\d+ parked$`))).toBeVisible();
  }
  await expectAccessible(page, "the parked messages");
  await shot(page, "admin-parked");
});

test("expert: the record, permits, subsidy, courses and consultations", async ({ page, request }) => {
  await useEnglish(page);
  const officer = { Authorization: `Bearer ${await tokenFor(request, { role: "bureau_officer" })}` };
  const registered = await request.post(`${API}/directory/v1/experts`, {
    headers: officer,
    data: {
      name: `Lin Expert ${Date.now() % 100000}`,
      nationality: "DE",
      date_of_birth: "1978-02-03",
      field: "new_generation_it",
      headline: "Distributed storage",
      bio: "Builds large storage systems.",
      skills: ["storage"],
      languages: ["en", "de"],
      passport_number: `C${Date.now() % 10000000}X`,
      annual_salary: "700000.00",
      seeking: true,
    },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const expert = await registered.json();
  await signIn(page, { role: "expert", subject: expert.id });
  await visit(page, "expert/profile");
  await expect(page.getByRole("cell", { name: expert.name })).toBeVisible();
  await expectAccessible(page, "the expert's record");
  for (const [path, heading] of [
    ["permits/mine", "My permits"],
    ["subsidy/mine", "My subsidy"],
    ["expert/courses", "Adaptation courses"],
    ["expert/consultations", "Consultations"],
  ]) {
    await visit(page, path);
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    await expectAccessible(page, `the expert's ${path}`);
  }
  await shot(page, "expert-consultations");
});
