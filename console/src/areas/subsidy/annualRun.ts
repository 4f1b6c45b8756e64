import type { AnnualRunRead } from "../../api/generated/types.gen";

/** How far an annual run has gone: its entitlements assessed, then its disbursements settled at finance. */
export interface RunProgress {
  /** Entitlements assessed of those the run found, 0-100. */
  assessed: number;
  /** Disbursements final at finance (settled, failed or cancelled) of those issued, 0-100. */
  finished: number;
  settled: number;
  failed: number;
  /** Still pending or accepted at finance. */
  inPayment: number;
}

function percent(part: number, whole: number, whenEmpty: number): number {
  if (whole <= 0) return whenEmpty;
  return Math.min(100, Math.floor((part * 100) / whole));
}

export function runProgress(run: AnnualRunRead): RunProgress {
  const count = (status: string) => run.disbursements[status] ?? 0;
  const issued = run.status === "issued";
  const final = count("settled") + count("failed") + count("cancelled");
  return {
    assessed: percent(run.entitlements_assessed, run.entitlements_total, issued ? 100 : 0),
    finished: percent(final, run.disbursements_issued, run.complete ? 100 : 0),
    settled: count("settled"),
    failed: count("failed"),
    inPayment: count("pending") + count("accepted"),
  };
}

/** How often the run's progress is read while it is not complete (the screen stops polling once it is). */
export const POLL_MS = 1000;

export function pollInterval(run: AnnualRunRead | undefined): number | false {
  return run && !run.complete ? POLL_MS : false;
}
