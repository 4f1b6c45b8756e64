import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  subsidyAnnualRunStatus,
  subsidyExpertLedger,
  subsidyGetClaim,
  subsidyGetEntitlement,
  subsidyIssueDisbursement,
  subsidyListAnnualRuns,
  subsidyListClaims,
  subsidyListDisbursements,
  subsidyListEntitlements,
  subsidyListReconciliations,
  subsidyReconcile,
  subsidyRecordEvaluation,
  subsidyStartAnnualRun,
  subsidyStatistics,
  subsidySubmitClaim,
} from "../../api/generated/sdk.gen";
import type {
  AnnualRunRequest,
  ClaimRequest,
  DisbursementRequest,
  EvaluationRecord,
  ReconciliationRequest,
  Track,
} from "../../api/generated/types.gen";
import { useCursorList } from "../../api/useCursorList";
import { pollInterval } from "./annualRun";

/**
 * The subsidy area's reads and changes over the generated client (/subsidy/v1). The API scopes every read to the
 * caller (officers everything, an employer its own entitlements, an expert their own): the same hooks serve
 * every role. Every change is a creating POST with the Idempotency-Key of the user's action.
 */

export type EntitlementStatus = "open" | "revoked";
export type DisbursementStatus = "pending" | "accepted" | "settled" | "failed" | "cancelled";
export const TRACKS: Track[] = ["haiju_long_term", "key_industry_recurring", "short_term"];
export const ENTITLEMENT_STATUSES: EntitlementStatus[] = ["open", "revoked"];
export const DISBURSEMENT_STATUSES: DisbursementStatus[] = ["pending", "accepted", "settled", "failed", "cancelled"];
export const GRADES: EvaluationRecord["grade"][] = ["excellent", "good", "qualified", "unqualified"];

const KEY = "subsidy";

export function useEntitlements(filters: { status?: EntitlementStatus; track?: Track; expertId?: string }) {
  return useCursorList([KEY, "entitlements", filters], async (cursor) => {
    const { data } = await subsidyListEntitlements({
      query: { status: filters.status, track: filters.track, expert_id: filters.expertId, cursor, limit: 50 },
      throwOnError: true,
    });
    return data;
  });
}

export function useEntitlement(id: string | undefined) {
  return useQuery({
    queryKey: [KEY, "entitlement", id],
    enabled: !!id,
    queryFn: async () => (await subsidyGetEntitlement({ path: { entitlement_id: id ?? "" }, throwOnError: true })).data,
  });
}

export function useClaims(filters: { entitlementId?: string; fundingYear?: number; expertId?: string }) {
  return useCursorList([KEY, "claims", filters], async (cursor) => {
    const { data } = await subsidyListClaims({
      query: {
        entitlement_id: filters.entitlementId,
        funding_year: filters.fundingYear,
        expert_id: filters.expertId,
        cursor,
        limit: 50,
      },
      throwOnError: true,
    });
    return data;
  });
}

export function useClaim(id: string | undefined) {
  return useQuery({
    queryKey: [KEY, "claim", id],
    enabled: !!id,
    queryFn: async () => (await subsidyGetClaim({ path: { claim_id: id ?? "" }, throwOnError: true })).data,
  });
}

export function useDisbursements(filters: {
  entitlementId?: string;
  expertId?: string;
  status?: DisbursementStatus;
  fundingYear?: number;
}) {
  return useCursorList([KEY, "disbursements", filters], async (cursor) => {
    const { data } = await subsidyListDisbursements({
      query: {
        entitlement_id: filters.entitlementId,
        expert_id: filters.expertId,
        status: filters.status,
        funding_year: filters.fundingYear,
        cursor,
        limit: 100,
      },
      throwOnError: true,
    });
    return data;
  });
}

/** The expert's ledger: balances per funding year and track, and every money row. */
export function useLedger(expertId: string | undefined) {
  return useQuery({
    queryKey: [KEY, "ledger", expertId],
    enabled: !!expertId,
    queryFn: async () => (await subsidyExpertLedger({ path: { expert_id: expertId ?? "" }, throwOnError: true })).data,
  });
}

export function useAnnualRuns(fundingYear?: number) {
  return useCursorList([KEY, "annual-runs", fundingYear ?? "all"], async (cursor) => {
    const { data } = await subsidyListAnnualRuns({
      query: { funding_year: fundingYear, cursor, limit: 20 },
      throwOnError: true,
    });
    return data;
  });
}

/** One run's progress, read again every second until it is complete (then the polling stops). */
export function useAnnualRun(id: string | undefined) {
  return useQuery({
    queryKey: [KEY, "annual-run", id],
    enabled: !!id,
    queryFn: async () => (await subsidyAnnualRunStatus({ path: { run_id: id ?? "" }, throwOnError: true })).data,
    refetchInterval: (query) => pollInterval(query.state.data),
    staleTime: 0,
  });
}

export function useReconciliations(day?: string) {
  return useCursorList([KEY, "reconciliations", day ?? "all"], async (cursor) => {
    const { data } = await subsidyListReconciliations({
      query: { date: day, cursor, limit: 20 },
      throwOnError: true,
    });
    return data;
  });
}

export function useStatistics(filters: { fundingYear?: number; track?: Track; district?: string }) {
  return useQuery({
    queryKey: [KEY, "statistics", filters],
    queryFn: async () =>
      (
        await subsidyStatistics({
          query: { funding_year: filters.fundingYear, track: filters.track, district: filters.district || undefined },
          throwOnError: true,
        })
      ).data,
  });
}

/** After a change, every subsidy read is read again (amounts and states move together). */
function useInvalidate() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: [KEY] });
}

export function useSubmitClaim(entitlementId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ClaimRequest; key: string }) =>
      (
        await subsidySubmitClaim({
          path: { entitlement_id: entitlementId },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useIssueDisbursement(entitlementId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: DisbursementRequest; key: string }) =>
      (
        await subsidyIssueDisbursement({
          path: { entitlement_id: entitlementId },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useRecordEvaluation(entitlementId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: EvaluationRecord; key: string }) =>
      (
        await subsidyRecordEvaluation({
          path: { entitlement_id: entitlementId },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useStartAnnualRun() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: AnnualRunRequest; key: string }) =>
      (await subsidyStartAnnualRun({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function useReconcile() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ReconciliationRequest; key: string }) =>
      (await subsidyReconcile({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}
