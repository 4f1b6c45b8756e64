import { expect, type Page } from "@playwright/test";
import { visit, visitUntil } from "../support";

/** Steps of the supervision (R-SUPERVISE) and of the expert's timeline, in English. */

/**
 * The officer reports a breach attributable to the expert on the candidate's selection, confirms it, and sees the
 * revocation announced. Precondition: signed in as a bureau officer; the candidate approved by the committee.
 */
export async function confirmExpertBreach(page: Page, candidate: string, facts: string): Promise<void> {
  await visitUntil(page, "supervision/selections", async () => {
    await expect(page.getByRole("link", { name: candidate })).toBeVisible({ timeout: 2000 });
  });
  await page.getByRole("link", { name: candidate }).click();
  await expect(page.getByRole("heading", { name: `Supervision of ${candidate}` })).toBeVisible();
  const date = page.getByLabel("Date of the breach");
  await date.click();
  await date.fill("2026-11-30");
  await date.press("Enter");
  await page.getByText("The expert", { exact: true }).click();
  await page.getByLabel("Facts").fill(facts);
  await page.getByRole("button", { name: "Report a breach" }).click();
  await page.getByRole("link", { name: "2026-11-30" }).click();
  await expect(page.getByRole("heading", { name: "Contract breach of 2026-11-30" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm the breach" }).click();
  await expect(page.getByText("the expert's benefits are revoked everywhere")).toBeVisible();
}

/** The officer finds the expert in the database and sees the breach and the revocation on the timeline. */
export async function expectRevocationOnTimeline(page: Page, candidate: string): Promise<void> {
  await visit(page, `directory/experts?q=${encodeURIComponent(candidate)}`);
  await page.getByRole("link", { name: candidate }).click();
  const timeline = page.getByTestId("timeline");
  await visitUntil(page, page.url().replace(/^.*\/console\//, ""), async () => {
    await expect(timeline).toContainText("Contract breach confirmed", { timeout: 2000 });
    await expect(timeline).toContainText("Benefits revoked", { timeout: 2000 });
  });
}
