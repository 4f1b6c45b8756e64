import { describe, expect, it } from "vitest";
import type { AnnualRunRead, StatisticsRow } from "../../api/generated/types.gen";
import { pollInterval, runProgress } from "./annualRun";
import { byDistrict, byTrack, byYear, totals } from "./statistics";

const row = (over: Partial<StatisticsRow>): StatisticsRow => ({
  funding_year: 2024,
  track: "haiju_long_term",
  district: "haidian",
  granted: "0.00",
  disbursed: "0.00",
  paid: "0.00",
  failed: "0.00",
  recovered: "0.00",
  ...over,
});

const rows = [
  row({ granted: "0.10", paid: "0.10" }),
  row({ district: "daxing", granted: "0.20", failed: "0.20" }),
  row({ funding_year: 2025, track: "short_term", granted: "60000.00", recovered: "-1.00" }),
];

describe("statistics grouped for the charts", () => {
  it("sum every measure exactly, by year, track and district", () => {
    expect(byYear(rows).map(({ key, amounts }) => [key, amounts.granted])).toEqual([
      [2024, "0.30"],
      [2025, "60000.00"],
    ]);
    expect(byTrack(rows).map(({ key, amounts }) => [key, amounts.paid])).toEqual([
      ["haiju_long_term", "0.10"],
      ["short_term", "0.00"],
    ]);
    expect(byDistrict(rows).map(({ key }) => key)).toEqual(["daxing", "haidian"]);
    expect(totals(rows)).toEqual({
      granted: "60000.30",
      disbursed: "0.00",
      paid: "0.10",
      failed: "0.20",
      recovered: "-1.00",
    });
  });

  it("give nothing for no rows", () => {
    expect(byYear([])).toEqual([]);
    expect(totals([]).granted).toBe("0.00");
  });
});

const run = (over: Partial<AnnualRunRead>): AnnualRunRead => ({
  id: "r",
  funding_year: 2024,
  status: "running",
  entitlements_total: 9,
  entitlements_assessed: 3,
  disbursements_issued: 3,
  amount_issued: "10.00",
  disbursements: { pending: 1, accepted: 1, settled: 1, failed: 0, cancelled: 0 },
  complete: false,
  started_by: "officer",
  started_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  issued_at: null,
  cursor: null,
  ...over,
});

describe("an annual run's progress", () => {
  it("counts what is assessed and what finance has finished", () => {
    expect(runProgress(run({}))).toEqual({ assessed: 33, finished: 33, settled: 1, failed: 0, inPayment: 2 });
    expect(pollInterval(run({}))).toBe(1000);
  });

  it("is full when the run is complete, even with nothing to pay, and stops polling", () => {
    const done = run({
      status: "issued",
      complete: true,
      entitlements_total: 0,
      entitlements_assessed: 0,
      disbursements_issued: 0,
      disbursements: {},
    });
    expect(runProgress(done)).toMatchObject({ assessed: 100, finished: 100, inPayment: 0 });
    expect(pollInterval(done)).toBe(false);
    expect(pollInterval(undefined)).toBe(false);
  });

  it("is empty while a run has found nothing yet", () => {
    expect(
      runProgress(run({ entitlements_total: 0, entitlements_assessed: 0, disbursements_issued: 0 })),
    ).toMatchObject({ assessed: 0, finished: 0 });
  });
});
