import { expect, test } from "@playwright/test";
import {
  addRecommendation,
  draftApplication,
  fixAndResubmit,
  formalDecision,
  preliminaryDecision,
  publishCatalogueEntry,
  submitApplication,
} from "./steps/applications";
import { conveneSitting, declareConflict, recordDecision, scoreAndVote, seatCommittee } from "./steps/committee";
import { fileHaijuClaim, openEntitlement, payClaim } from "./steps/subsidy";
import { confirmExpertBreach, expectRevocationOnTimeline } from "./steps/supervision";
import { expectAccessible, shot, signIn, useEnglish, visit } from "./support";

const EMPLOYER = "Yizhuang Biomedicine Co., Ltd.";
const REVIEWER = "Daxing District HR and Social Security Bureau";

/**
 * The whole selection by four roles, as the measures lay it out: the employer drafts and submits, the district
 * bureau returns it, the employer corrects and resubmits, the bureau and the officer pass it; a sitting with one
 * recused member approves it with a quoted plan; the employer sees the outcome and the entitlement and claims the
 * year, which municipal finance pays; then the expert's breach is confirmed and the revocation shows on the
 * expert's timeline (R-APPLY, R-FORMAL, R-COMMITTEE, R-SUB-SALARY, R-SUPERVISE). A screenshot of every step.
 */
test("the whole selection, from a draft to a paid claim and a revocation", async ({ page, request }) => {
  test.setTimeout(240_000);
  await useEnglish(page);
  const run = `w${Date.now() % 1000000}`;
  const demand = `Quantum photonics ${run}`;
  const candidate = `Ada Walkthrough ${run}`;
  await publishCatalogueEntry(request, demand);
  const members = await seatCommittee(request, run);

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  const applicationId = await draftApplication(page, {
    catalogueEntry: demand,
    candidate,
    passport: `W${Date.now() % 10000000}`,
    position: "Chief scientist",
    salary: "850000.00",
  });
  await addRecommendation(page, "Prof. Grace Peer");
  await submitApplication(page);
  await shot(page, "walk-01-employer-submits");

  await signIn(page, { role: "preliminary_reviewer", organisationLabel: REVIEWER });
  const reason = "The contract's start date does not match the record of intent";
  await preliminaryDecision(page, candidate, "Return for correction", reason);
  await shot(page, "walk-02-reviewer-returns");

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  await fixAndResubmit(page, applicationId, reason, "Chief scientist, quantum photonics laboratory");
  await shot(page, "walk-03-employer-resubmits");

  await signIn(page, { role: "preliminary_reviewer", organisationLabel: REVIEWER });
  await preliminaryDecision(page, candidate, "Pass", "Complete and within the catalogue");
  await shot(page, "walk-04-reviewer-passes");
  await signIn(page, { role: "bureau_officer" });
  await formalDecision(page, candidate, "Pass", "Every material is present");
  await shot(page, "walk-05-officer-formal-pass");

  const sittingId = await conveneSitting(page, candidate, members);
  await shot(page, "walk-06-sitting-convened");
  const [recused, ...voters] = members;
  await declareConflict(page, recused, sittingId, "Supervised the candidate's doctorate");
  await shot(page, "walk-07-member-recused");
  for (const member of voters) await scoreAndVote(page, member, sittingId, true);
  await shot(page, "walk-08-member-voted");
  await signIn(page, { role: "bureau_officer" });
  await recordDecision(page, sittingId);
  await shot(page, "walk-09-decision-quoted-plan");

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  await visit(page, `applications/${applicationId}`);
  await expect(page.getByRole("heading").getByText("Approved")).toBeVisible({ timeout: 30_000 });
  await shot(page, "walk-10-employer-sees-outcome");
  const entitlementId = await openEntitlement(page, candidate);
  await expectAccessible(page, "an entitlement (employer)");
  await fileHaijuClaim(page, "2025-12-31", "600000.00");
  await shot(page, "walk-11-employer-claims");

  await signIn(page, { role: "bureau_officer" });
  await payClaim(page, entitlementId, 2025);
  await expectAccessible(page, "an entitlement (officer)");
  await shot(page, "walk-12-claim-paid");

  await confirmExpertBreach(page, candidate, "Left Beijing for another employer before the contract's end");
  await expectAccessible(page, "a confirmed breach");
  await shot(page, "walk-13-breach-confirmed");
  await expectRevocationOnTimeline(page, candidate);
  await expectAccessible(page, "the expert's timeline");
  await shot(page, "walk-14-revocation-on-timeline");
});
