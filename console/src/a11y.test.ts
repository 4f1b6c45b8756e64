import { describe, expect, it } from "vitest";
import { installAriaFixes } from "./a11y";

describe("installAriaFixes", () => {
  it("moves aria-required from a Select's outer div to its combobox, also for Selects rendered later", async () => {
    const root = document.createElement("div");
    root.innerHTML = `<div class="ant-select" aria-required="true"><input role="combobox" /></div>`;
    const stop = installAriaFixes(root);
    expect(root.querySelector(".ant-select")?.hasAttribute("aria-required")).toBe(false);
    expect(root.querySelector("[role=combobox]")?.getAttribute("aria-required")).toBe("true");

    const later = document.createElement("div");
    later.className = "ant-select";
    later.setAttribute("aria-required", "true");
    later.innerHTML = `<input role="combobox" />`;
    root.appendChild(later);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(later.hasAttribute("aria-required")).toBe(false);
    expect(later.querySelector("[role=combobox]")?.getAttribute("aria-required")).toBe("true");
    stop();
  });
});
