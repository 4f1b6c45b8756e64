// First contentful paint and time to interactive of the console's main pages in headless Chromium on loopback.
// Usage: node scripts/bench-pages.mjs '<JSON {base, runs, cold: [path], signedIn: [{role, organisation?, paths}]}>'
// -> one JSON object on stdout.
//
// Each cold run loads the page in a new browser context (no cache). FCP is the browser's own paint timing. TTI,
// simplified from Lighthouse's definition: the latest of DOMContentLoaded, the end of the last long task
// (PerformanceObserver "longtask", tasks over 50 ms) and the moment the page's heading (h1/h2) first appears,
// read once the network has been idle for 500 ms. A signed-in page cannot be cold-loaded (the session lives in
// memory only): it is timed as the in-app navigation a user makes, from pushing its URL to its heading shown with
// the network idle, after signing in through the development sign-in page.
import { chromium } from "@playwright/test";

const plan = JSON.parse(process.argv[2] ?? "{}");
const base = plan.base ?? "http://127.0.0.1:8000";
const runs = plan.runs ?? 5;
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function observe(page) {
  await page.addInitScript(() => {
    window.__longTaskEnd = 0;
    window.__headingAt = 0;
    new MutationObserver((_changes, observer) => {
      if (document.querySelector("h1, h2")) {
        window.__headingAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        window.__longTaskEnd = Math.max(window.__longTaskEnd, entry.startTime + entry.duration);
    }).observe({ type: "longtask", buffered: true });
  });
}

async function timings(page) {
  return page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      fcp: paint ? paint.startTime : null,
      tti: Math.max(nav.domContentLoadedEventEnd, window.__longTaskEnd, window.__headingAt),
    };
  });
}

async function signIn(page, who) {
  // The console keeps the session in memory: sign in on its own page as a person does.
  await page.goto(`${base}/console/sign-in`, { waitUntil: "networkidle" });
  // antd's options a person sees are .ant-select-item-option (its role=option list is for screen readers only).
  const open = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option");
  await page.getByRole("combobox").first().click({ force: true });
  await open.filter({ hasText: who.roleLabel }).first().click();
  if (who.organisationLabel) {
    const organisation = page.getByRole("combobox").nth(1);
    await organisation.click({ force: true });
    await organisation.fill(who.organisationLabel);
    await open.filter({ hasText: who.organisationLabel }).first().click();
  }
  await page.locator("form button[type=submit]").click();
  await page.getByTestId("signed-in-as").waitFor();
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
const result = { cold: {}, navigation: {} };
try {
  for (const path of plan.cold ?? [""]) {
    const fcp = [];
    const tti = [];
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await observe(page);
      const response = await page.goto(`${base}/console/${path}`, { waitUntil: "networkidle" });
      if (!response || response.status() >= 400) throw new Error(`${path}: HTTP ${response?.status()}`);
      await page
        .locator("h1, h2")
        .first()
        .waitFor({ timeout: 15000 })
        .catch((error) => {
          throw new Error(`/console/${path}: no title shown (${error.message})`);
        });
      const t = await timings(page);
      fcp.push(t.fcp);
      tti.push(t.tti);
      await context.close();
    }
    result.cold[`/console/${path}`] = { fcp_ms: Math.round(median(fcp)), tti_ms: Math.round(median(tti)), runs };
  }
  for (const who of plan.signedIn ?? []) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, who);
    for (const path of who.paths) {
      const times = [];
      for (let i = 0; i < runs; i += 1) {
        await page.evaluate(() => {
          window.history.pushState({}, "", "/console/");
          window.dispatchEvent(new PopStateEvent("popstate"));
        });
        await page.waitForLoadState("networkidle");
        const started = await page.evaluate(() => performance.now());
        await page.evaluate((target) => {
          window.history.pushState({}, "", target);
          window.dispatchEvent(new PopStateEvent("popstate"));
        }, `/console/${path}`);
        await page.waitForFunction((target) => window.location.pathname === target, `/console/${path}`);
        await page.locator("main h1, main h2").first().waitFor({ timeout: 15000 });
        await page.waitForLoadState("networkidle");
        times.push((await page.evaluate(() => performance.now())) - started);
      }
      result.navigation[`${who.role} /console/${path}`] = { interactive_ms: Math.round(median(times)), runs };
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
