import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { API, choose, signIn, tokenFor, visit } from "../support";

/** Steps of the selection committee (R-COMMITTEE) on the committee screens, in English. */

export interface Member {
  subject: string;
  name: string;
  seat: "expert" | "organization" | "development_reform" | "science_technology" | "industry";
}

/**
 * A roster of one member per seat type plus a second expert (six in all), put on it through the API: the setting
 * up of a committee, not the walk's work. `prefix` keeps the identities of one run apart from another's.
 */
export async function seatCommittee(request: APIRequestContext, prefix: string): Promise<Member[]> {
  const seats: Member["seat"][] = ["expert", "expert", "organization", "development_reform", "science_technology"];
  seats.push("industry");
  const members = seats.map((seat, index) => ({
    subject: `${prefix}-member-${index + 1}`,
    name: `Member ${index + 1} ${prefix}`,
    seat,
  }));
  const headers = { Authorization: `Bearer ${await tokenFor(request, { role: "bureau_officer" })}` };
  for (const member of members) {
    const response = await request.post(`${API}/review/v1/committee-members`, {
      headers,
      data: { subject: member.subject, name: member.name, seat_type: member.seat },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  return members;
}

/**
 * The officer convenes a sitting with these members and the candidate's case (awaiting a sitting after its formal
 * review passed), then records every member present. Precondition: signed in as a bureau officer. Returns the
 * sitting's id.
 */
export async function conveneSitting(page: Page, candidate: string, members: Member[]): Promise<string> {
  await visit(page, "committee/sittings");
  await expect(page.getByRole("heading", { name: "Sittings" })).toBeVisible();
  const date = page.getByLabel("Held on");
  await date.click();
  await date.fill("2026-12-10");
  await date.press("Enter");
  for (const member of members) await choose(page, "Members", member.name);
  await choose(page, "Agenda", candidate);
  await page.getByRole("button", { name: "Convene the sitting" }).click();
  await expect(page.getByRole("heading", { name: "Sitting of 2026-12-10" })).toBeVisible();
  const sittingId = page.url().split("/").pop() as string;
  for (const member of members) {
    const box = page.getByLabel(new RegExp(`^${member.name} `));
    await box.click();
    await expect(box).toBeChecked();
  }
  await page.getByRole("button", { name: "Record attendance" }).click();
  await expect(page.getByText("Attendance", { exact: true }).locator("..").getByText("Recorded")).toBeVisible();
  return sittingId;
}

/** Open the sitting's first case, as its member or the officer: from the menu's sittings to the agenda. */
export async function openCase(page: Page, sittingId: string): Promise<void> {
  await visit(page, `committee/sittings/${sittingId}`);
  await page.getByRole("link", { name: "Case 1" }).click();
  await expect(page.getByRole("heading", { name: /^Case of / })).toBeVisible();
}

/** A member declares a conflict on the case; the screen then says why they cannot score or vote. */
export async function declareConflict(page: Page, member: Member, sittingId: string, reason: string): Promise<void> {
  await signIn(page, { role: "committee_member", subject: member.subject });
  await openCase(page, sittingId);
  await page.getByLabel("Why you cannot judge this case").fill(reason);
  await page.getByRole("button", { name: "Declare the conflict" }).click();
  await expectRecused(page, reason);
}

/** The recused member's view of the case: no score form, the reason they gave and the rule. */
export async function expectRecused(page: Page, reason: string): Promise<void> {
  const recused = page.getByTestId("recused");
  await expect(recused).toContainText("You are recused from this case");
  await expect(recused).toContainText(reason);
  await expect(recused).toContainText("R-COMMITTEE");
  await expect(page.getByRole("button", { name: "Record my scores" })).toHaveCount(0);
}

/** A member scores the four R-ELIG criteria, then votes. */
export async function scoreAndVote(page: Page, member: Member, sittingId: string, approve: boolean): Promise<void> {
  await signIn(page, { role: "committee_member", subject: member.subject });
  await openCase(page, sittingId);
  for (const [criterion, score] of [
    ["Achievements", "9"],
    ["Renown", "8"],
    ["Recognition", "8"],
    ["Need of Beijing", "9"],
  ]) {
    await page.getByLabel(criterion, { exact: true }).fill(score);
  }
  await page.getByRole("button", { name: "Record my scores" }).click();
  await page.getByText(approve ? "For" : "Against", { exact: true }).click();
  await page.getByRole("button", { name: "Record my vote" }).click();
  await expect(page.getByText("You have scored and voted on this case.")).toBeVisible();
}

/**
 * The officer records the decision; an approval shows the funding plan the subsidy service quoted (R-COMMITTEE).
 * Precondition: signed in as a bureau officer, every present member not recused has voted.
 */
export async function recordDecision(page: Page, sittingId: string): Promise<void> {
  await openCase(page, sittingId);
  await page.getByRole("button", { name: "Record the decision" }).click();
  const decision = page.getByTestId("decision");
  await expect(decision).toContainText("Approved");
  await expect(decision.getByRole("table", { name: "Funding plan" })).toContainText("Salary subsidy");
  await expect(decision.getByRole("table", { name: "Funding plan" })).toContainText("¥");
}
