import { expect, test } from "@playwright/test";
import {
  addRecommendation,
  draftApplication,
  formalDecision,
  preliminaryDecision,
  publishCatalogueEntry,
  submitApplication,
} from "./steps/applications";
import {
  conveneSitting,
  declareConflict,
  openCase,
  recordDecision,
  scoreAndVote,
  seatCommittee,
} from "./steps/committee";
import { expectAccessible, shot, signIn, useEnglish, visit } from "./support";

const EMPLOYER = "Yizhuang Biomedicine Co., Ltd.";
const REVIEWER = "Daxing District HR and Social Security Bureau";

test("a sitting with one recused member approves the case with a quoted funding plan", async ({ page, request }) => {
  await useEnglish(page);
  const run = `c${Date.now() % 1000000}`;
  const demand = `Committee demand ${run}`;
  await publishCatalogueEntry(request, demand);
  const members = await seatCommittee(request, run);
  const candidate = `Chen Example ${run}`;

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  await draftApplication(page, {
    catalogueEntry: demand,
    candidate,
    passport: `E${Date.now() % 10000000}`,
    position: "Chief scientist",
    salary: "850000.00",
  });
  await addRecommendation(page, "Prof. Peer Example");
  await submitApplication(page);
  await signIn(page, { role: "preliminary_reviewer", organisationLabel: REVIEWER });
  await preliminaryDecision(page, candidate, "Pass", "Complete");
  await signIn(page, { role: "bureau_officer" });
  await formalDecision(page, candidate, "Pass", "Every material is present");

  await visit(page, "committee/members");
  await expect(page.getByRole("cell", { name: members[0].name })).toBeVisible();
  await expectAccessible(page, "the committee roster");
  await visit(page, "committee/cases?state=awaiting_sitting");
  await expect(page.getByRole("link", { name: candidate })).toBeVisible();
  await expectAccessible(page, "the cases for the committee");
  const sittingId = await conveneSitting(page, candidate, members);
  await expectAccessible(page, "a sitting (officer)");
  await shot(page, "officer-sitting-convened");

  const [recused, ...voters] = members;
  await declareConflict(page, recused, sittingId, "Co-authored three papers with the candidate");
  await expectAccessible(page, "a case (recused member)");
  await shot(page, "member-recused");
  for (const member of voters) await scoreAndVote(page, member, sittingId, true);
  await visit(page, "committee/sittings");
  await expectAccessible(page, "a member's sittings");

  await signIn(page, { role: "bureau_officer" });
  await openCase(page, sittingId);
  await expect(page.getByText(`${recused.name} declared a conflict of interest`)).toBeVisible();
  await recordDecision(page, sittingId);
  await expectAccessible(page, "a decided case (officer)");
  await shot(page, "officer-decision-quoted-plan");
});
