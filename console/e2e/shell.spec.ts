import { expect, test } from "@playwright/test";
import { expectAccessible, shot } from "./support";

const HAN = /[\u3400-\u9fff]/;

/** The page's text without the language switch (whose "中文" option is the same in both languages). */
async function labels(page: import("@playwright/test").Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const node of clone.querySelectorAll(".ant-segmented")) node.remove();
    // biome-ignore lint/performance/useDomNodeTextContent: the labels as rendered, what the user reads
    return clone.innerText;
  });
}

test("zh-CN by default; a change of language switches every label on the page, and back", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("欢迎使用");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const chinese = await labels(page);
  expect(chinese).toMatch(HAN);
  await shot(page, "home-zh-CN");

  await page.getByText("English", { exact: true }).click();
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("Welcome");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const english = await labels(page);
  // Every label changed: no Chinese character is left on the page.
  expect(english.split("\n").filter((line) => HAN.test(line))).toEqual([]);
  await shot(page, "home-en");

  await page.getByText("中文", { exact: true }).click();
  await expect(page.getByRole("heading", { level: 2 })).toHaveText("欢迎使用");
  expect(await labels(page)).toEqual(chinese);
});

test("the home and sign-in pages are accessible", async ({ page }) => {
  await page.goto("./");
  await expectAccessible(page, "home");
  await page.goto("sign-in");
  await expect(page.getByRole("combobox").first()).toBeVisible();
  await expectAccessible(page, "sign-in");
});
