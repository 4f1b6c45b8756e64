import { describe, expect, it } from "vitest";
import { dossierOf } from "./dossier";

describe("dossierOf", () => {
  it("names the candidate, employer, position and salary of a FormalReviewPassed dossier", () => {
    const row = {
      dossier: {
        expert: { name: "Ada Example", nationality: "GB" },
        employer: { name: "Yizhuang Biomedicine Co., Ltd." },
        position: "Chief scientist",
        contract: { annual_salary: "850000.00" },
      },
    };
    expect(dossierOf(row)).toEqual({
      candidate: "Ada Example",
      nationality: "GB",
      employer: "Yizhuang Biomedicine Co., Ltd.",
      position: "Chief scientist",
      salary: "850000.00",
    });
  });

  it("shows a dash for what a dossier lacks or holds in another shape", () => {
    expect(dossierOf({ dossier: { expert: "not an object", position: 3 } })).toEqual({
      candidate: "—",
      nationality: "—",
      employer: "—",
      position: "—",
      salary: undefined,
    });
    expect(dossierOf(undefined).candidate).toBe("—");
  });
});
