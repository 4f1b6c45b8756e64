import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { API, choose, tokenFor, visit } from "../support";

/** Steps of the first flow (R-APPLY, R-FORMAL) on the applications screens, in English. */

export interface Draft {
  catalogueEntry: string;
  candidate: string;
  passport: string;
  position: string;
  salary: string;
}

/** A published catalogue entry for the applications to name (the catalogue's own screens are the directory's). */
export async function publishCatalogueEntry(request: APIRequestContext, demand: string): Promise<string> {
  const headers = { Authorization: `Bearer ${await tokenFor(request, { role: "bureau_officer" })}` };
  const year = new Date().getFullYear();
  const edition = await request.post(`${API}/directory/v1/catalogue-editions`, {
    headers,
    data: { title: `Catalogue ${year}`, valid_from: `${year - 1}-01-01`, valid_until: `${year + 4}-12-31` },
  });
  expect(edition.status(), await edition.text()).toBe(201);
  const editionId = (await edition.json()).id;
  const entry = await request.post(`${API}/directory/v1/catalogue-editions/${editionId}/entries`, {
    headers,
    data: {
      focus_area: "strategic_emerging_industries",
      field: "new_generation_it",
      zone: "zgc_science_city",
      demand,
      number_sought: 3,
    },
  });
  expect(entry.status(), await entry.text()).toBe(201);
  const published = await request.post(`${API}/directory/v1/catalogue-editions/${editionId}/publish`, { headers });
  expect(published.ok(), await published.text()).toBe(true);
  return (await entry.json()).id as string;
}

/** The employer drafts an application; returns its id (from the URL of the page the draft opens on). */
export async function draftApplication(page: Page, draft: Draft): Promise<string> {
  await visit(page, "applications/new");
  await expect(page.getByRole("heading", { name: "New application" })).toBeVisible();
  await choose(page, "Catalogue entry", draft.catalogueEntry);
  await choose(page, "Track", "Haiju programme (long term)");
  await page.getByLabel("Position", { exact: true }).fill(draft.position);
  await page.getByLabel("Date of intent").fill("2024-11-15");
  await page.getByLabel("Name", { exact: true }).fill(draft.candidate);
  await page.getByLabel("Nationality").fill("GB");
  await page.getByLabel("Passport number").fill(draft.passport);
  await page.getByLabel("Date of birth").fill("1975-04-02");
  await page.getByLabel("Professional field").fill("Integrated photonics");
  await page.getByLabel("Current post").fill("Principal engineer, Example Photonics Ltd");
  await page.getByLabel("Achievements").fill("Led three generations of silicon photonic transceivers.");
  await page.getByLabel("Contract start").fill("2025-01-01");
  await page.getByLabel("Contract end").fill("2027-12-31");
  await page.getByLabel("Annual salary (CNY)").fill(draft.salary);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/applications\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `Application for ${draft.candidate}` })).toBeVisible();
  return page.url().split("/").pop() as string;
}

export async function addRecommendation(page: Page, recommender: string): Promise<void> {
  await page.getByRole("button", { name: "Add recommendation" }).click();
  await page.getByLabel("Recommender", { exact: true }).fill(recommender);
  await page.getByLabel("Recommender's title").fill("Professor");
  await page.getByLabel("Recommender's institution").fill("Tsinghua University");
  await page.getByLabel("Relation to the candidate").fill("Former collaborator");
  await page.getByLabel("Statement").fill("An outstanding engineer in integrated photonics.");
  await page.getByRole("button", { name: "Save recommendation" }).click();
  await expect(page.getByRole("cell", { name: recommender })).toBeVisible();
}

export async function submitApplication(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Submit for preliminary review" }).click();
  await expect(page.getByRole("heading").getByText("In preliminary review")).toBeVisible();
}

type Decision = "Pass" | "Return for correction" | "Reject";

async function decide(page: Page, outcome: Decision, reason: string): Promise<void> {
  await page.getByText(outcome, { exact: true }).click();
  await page.getByLabel("Reason").fill(reason);
  await page.getByRole("button", { name: "Record the review" }).click();
}

/** The reviewing body finds the application in its queue and decides. */
export async function preliminaryDecision(page: Page, candidate: string, outcome: Decision, reason: string) {
  await visit(page, "reviews/preliminary");
  await page.getByRole("link", { name: candidate }).click();
  await decide(page, outcome, reason);
  const next = {
    Pass: "In formal review",
    "Return for correction": "Returned for correction",
    Reject: "Rejected in review",
  };
  await expect(page.getByRole("heading").getByText(next[outcome])).toBeVisible();
}

/** The employer reads the return's reason, corrects the application (If-Match) and submits it again. */
export async function fixAndResubmit(page: Page, applicationId: string, reason: string, position: string) {
  await visit(page, `applications/${applicationId}`);
  await expect(page.getByRole("alert").filter({ hasText: reason })).toBeVisible();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByLabel("Position", { exact: true }).fill(position);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`applications/${applicationId}$`));
  await expect(page.getByText(position)).toBeVisible();
  await submitApplication(page);
}

/** The bureau's formal review with its checklist (R-FORMAL). */
export async function formalDecision(page: Page, candidate: string, outcome: Decision, reason: string) {
  await visit(page, "reviews/formal");
  await page.getByRole("link", { name: candidate }).click();
  for (const item of [
    "Application form",
    "Passport copy",
    "Contract terms",
    "Peer recommendation",
    "Record of intent",
    "Within the catalogue",
  ]) {
    const box = page.getByLabel(item, { exact: true });
    await box.click();
    await expect(box).toBeChecked();
  }
  await decide(page, outcome, reason);
  const next = {
    Pass: "Awaiting the committee",
    "Return for correction": "Returned for correction",
    Reject: "Rejected in review",
  };
  await expect(page.getByRole("heading").getByText(next[outcome])).toBeVisible();
}
