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
import { expectAccessible, shot, signIn, useEnglish, visit } from "./support";

const EMPLOYER = "Yizhuang Biomedicine Co., Ltd.";
const REVIEWER = "Daxing District HR and Social Security Bureau";

test("an application from draft to the committee: drafted, returned, corrected, passed twice", async ({
  page,
  request,
}) => {
  await useEnglish(page);
  const demand = `Photonic chip design ${Date.now()}`;
  await publishCatalogueEntry(request, demand);
  const candidate = `Ada Example ${Date.now() % 100000}`;

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  const id = await draftApplication(page, {
    catalogueEntry: demand,
    candidate,
    passport: `K${Date.now() % 10000000}`,
    position: "Chief scientist",
    salary: "850000.00",
  });
  await addRecommendation(page, "Prof. Grace Peer");
  await expectAccessible(page, "an application (employer)");
  await shot(page, "employer-draft");
  await submitApplication(page);
  await visit(page, "applications?state=preliminary_review");
  await expect(page.getByRole("link", { name: candidate })).toBeVisible();
  await expectAccessible(page, "the employer's applications");

  await signIn(page, { role: "preliminary_reviewer", organisationLabel: REVIEWER });
  await visit(page, "reviews/preliminary");
  await expectAccessible(page, "the preliminary review queue");
  const reason = "The contract's salary is not signed by both parties";
  await preliminaryDecision(page, candidate, "Return for correction", reason);
  await shot(page, "reviewer-returns");

  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  await fixAndResubmit(page, id, reason, "Chief scientist, photonics laboratory");
  await shot(page, "employer-resubmits");

  await signIn(page, { role: "preliminary_reviewer", organisationLabel: REVIEWER });
  await preliminaryDecision(page, candidate, "Pass", "Complete and within the catalogue");

  await signIn(page, { role: "bureau_officer" });
  await visit(page, "reviews/formal");
  await expectAccessible(page, "the formal review queue");
  await formalDecision(page, candidate, "Pass", "Every material is present");
  await expectAccessible(page, "an application (officer)");
  await shot(page, "officer-formal-pass");
});

test("a refused draft names its fields, and the form keeps what was typed", async ({ page, request }) => {
  await useEnglish(page);
  const demand = `Quantum sensing ${Date.now()}`;
  await publishCatalogueEntry(request, demand);
  await signIn(page, { role: "employer", organisationLabel: EMPLOYER });
  await visit(page, "applications/new");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Required").first()).toBeVisible();
  // A salary with three decimal places: refused by the API (one Decimal type end to end), named by its field.
  await draftApplication(page, {
    catalogueEntry: demand,
    candidate: "Grace Example",
    passport: `P${Date.now() % 10000000}`,
    position: "Principal investigator",
    salary: "850000.001",
  }).catch(() => undefined);
  await expect(page.getByRole("alert")).toContainText("contract.annual_salary");
  await expect(page.getByLabel("Annual salary (CNY)")).toHaveValue("850000.001");
  await shot(page, "draft-refused-field-named");
});
