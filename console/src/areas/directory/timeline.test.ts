import { describe, expect, it } from "vitest";
import { summaryLine } from "./timeline";

describe("summaryLine", () => {
  it("lists the scalars of a summary in order, without nested objects or empty values", () => {
    expect(
      summaryLine({ attributable_to: "expert", breach_date: "2026-11-30", nested: { a: 1 }, note: "", amount: 12 }),
    ).toBe("attributable to: expert · breach date: 2026-11-30 · amount: 12");
  });
  it("is empty for no summary", () => {
    expect(summaryLine(null)).toBe("");
    expect(summaryLine({})).toBe("");
  });
});
