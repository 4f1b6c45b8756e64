import { expect, test } from "@playwright/test";
import { publishCatalogueEntry } from "./steps/applications";
import { expectAccessible, shot, useEnglish } from "./support";

/** The public pages without signing in (R-PLATFORM, R-CATALOGUE, R-SETTLE): reachable from the menu, accessible. */
test("the public pages — catalogue, map of experts, job board, guide — need no sign-in", async ({ page, request }) => {
  await useEnglish(page);
  const demand = `Public demand ${Date.now()}`;
  await publishCatalogueEntry(request, demand);
  await page.goto("./");
  await page.getByRole("menuitem", { name: "Introduction catalogue" }).click();
  await expect(page.getByRole("cell", { name: demand })).toBeVisible();
  await expectAccessible(page, "the catalogue");
  await page.getByRole("menuitem", { name: "Map of experts" }).click();
  await expect(page.getByTestId("world-map").locator("canvas")).toBeVisible();
  await expectAccessible(page, "the map of experts");
  await shot(page, "public-map");
  await page.getByRole("menuitem", { name: "Job board" }).click();
  await expect(page.getByRole("heading", { name: "Job board" })).toBeVisible();
  await expectAccessible(page, "the job board");
  await page.getByRole("menuitem", { name: "Guide and notices" }).click();
  await expect(page.getByRole("heading", { name: "Guide for foreign experts" })).toBeVisible();
  await expectAccessible(page, "the guide and notices");
});
