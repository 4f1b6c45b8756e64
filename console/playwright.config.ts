import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's headless Chromium (no browser download) against an embedded platform started by
 * tests/e2e/test_console.py (or by hand: `make run`, then `CONSOLE_E2E_URL=http://127.0.0.1:8000 npm run e2e`).
 */
const base = process.env.CONSOLE_E2E_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `${base}/console/`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    reducedMotion: "reduce",
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
});
