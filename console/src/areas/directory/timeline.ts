/** A timeline entry's thin summary (scalars the producing service put in it) as one readable line. */
export function summaryLine(summary: Record<string, unknown> | null | undefined): string {
  if (!summary) return "";
  return Object.entries(summary)
    .filter(([, value]) => value !== null && value !== undefined && value !== "" && typeof value !== "object")
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${String(value)}`)
    .join(" · ");
}
