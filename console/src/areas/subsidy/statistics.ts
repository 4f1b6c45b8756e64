import type { StatisticsRow, Track } from "../../api/generated/types.gen";
import { sumMoney } from "./money";

/** The five amounts the statistics give for each year, track and district (decimal strings). */
export const MEASURES = ["granted", "disbursed", "paid", "failed", "recovered"] as const;
export type Measure = (typeof MEASURES)[number];
export type Amounts = Record<Measure, string>;

/** The rows grouped by ``keyOf``, each measure summed exactly (never through a float), in the keys' order. */
export function groupBy<K extends string | number>(
  rows: readonly StatisticsRow[],
  keyOf: (row: StatisticsRow) => K,
): { key: K; amounts: Amounts }[] {
  const groups = new Map<K, StatisticsRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => ({ key, amounts: totals(group) }));
}

export function totals(rows: readonly StatisticsRow[]): Amounts {
  return Object.fromEntries(MEASURES.map((measure) => [measure, sumMoney(rows.map((row) => row[measure]))])) as Amounts;
}

export const byYear = (rows: readonly StatisticsRow[]) => groupBy(rows, (row) => row.funding_year);
export const byTrack = (rows: readonly StatisticsRow[]) => groupBy<Track>(rows, (row) => row.track);
export const byDistrict = (rows: readonly StatisticsRow[]) => groupBy(rows, (row) => row.district);
