import type { CommitteeCaseRead } from "../../api/generated/types.gen";

/**
 * What a case's dossier (the FormalReviewPassed it came with) names for a screen: the candidate, the employer,
 * the position and the salary. The dossier is an event's JSON: read defensively, never assumed.
 */
export function dossierOf(row: Pick<CommitteeCaseRead, "dossier"> | undefined) {
  const dossier = (row?.dossier ?? {}) as Record<string, unknown>;
  const pick = (object: unknown, key: string): string | undefined => {
    if (object && typeof object === "object" && key in object) {
      const value = (object as Record<string, unknown>)[key];
      return typeof value === "string" ? value : undefined;
    }
    return undefined;
  };
  return {
    candidate: pick(dossier.expert, "name") ?? "—",
    nationality: pick(dossier.expert, "nationality") ?? "—",
    employer: pick(dossier.employer, "name") ?? "—",
    position: pick(dossier, "position") ?? "—",
    salary: pick(dossier.contract, "annual_salary"),
  };
}
