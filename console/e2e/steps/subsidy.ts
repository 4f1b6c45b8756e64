import { expect, type Page } from "@playwright/test";
import { visit, visitUntil } from "../support";

/** Steps of the second flow's money (R-SUB-*, R-COMMITTEE) on the subsidy screens, in English. */

async function pickDate(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

/**
 * The employer finds the entitlement the committee's approval opened for its candidate (through the bus, so read
 * again until it is there) and opens it. Precondition: signed in as the employer. Returns the entitlement's id.
 */
export async function openEntitlement(page: Page, candidate: string): Promise<string> {
  await visitUntil(page, "subsidy/entitlements", async () => {
    await expect(page.getByRole("link", { name: candidate })).toBeVisible({ timeout: 2000 });
  });
  await page.getByRole("link", { name: candidate }).click();
  await expect(page.getByRole("heading", { name: `Entitlement of ${candidate}` })).toBeVisible();
  await expect(page.getByText("Salary subsidy").first()).toBeVisible();
  return page.url().split("/").pop() as string;
}

/** The employer submits the first year's claim of a Haiju entitlement (R-SUB-SALARY, R-SUB-MEDICAL). */
export async function fileHaijuClaim(page: Page, periodEnd: string, salaryPaid: string): Promise<void> {
  await pickDate(page, "End of the period claimed", periodEnd);
  await page.getByLabel("Evidence reference").fill(`payroll-${periodEnd}`);
  await page.getByLabel("Salary paid (CNY)").fill(salaryPaid);
  await page.getByLabel("Medical insurance premium paid (CNY)").fill("18000.00");
  await page.getByLabel("The contract was fulfilled this year").check();
  await page.getByRole("button", { name: "Submit the claim" }).click();
  await expect(page.getByRole("cell", { name: "Awaiting disbursement" })).toBeVisible();
}

/**
 * The officer instructs municipal finance to pay what the year granted (the amount the form proposes), then
 * reads the entitlement again until finance settled it and the claim's year shows paid.
 * Precondition: signed in as a bureau officer.
 */
export async function payClaim(page: Page, entitlementId: string, fundingYear: number): Promise<void> {
  await visit(page, `subsidy/entitlements/${entitlementId}`);
  await page.getByLabel("Funding year", { exact: true }).fill(String(fundingYear));
  await page.getByRole("button", { name: "Instruct the payment" }).click();
  await expectClaimPaid(page, entitlementId);
}

/** The entitlement's disbursement settled at finance and its claim's year paid (read again until so). */
export async function expectClaimPaid(page: Page, entitlementId: string): Promise<void> {
  await visitUntil(page, `subsidy/entitlements/${entitlementId}`, async () => {
    await expect(page.getByRole("cell", { name: "Settled", exact: true })).toBeVisible({ timeout: 2000 });
    await expect(page.getByRole("cell", { name: "Paid", exact: true })).toBeVisible({ timeout: 2000 });
  });
}
