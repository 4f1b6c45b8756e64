import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  reviewAppealBreach,
  reviewConfirmBreach,
  reviewDismissAppeal,
  reviewDismissBreach,
  reviewEvaluatePerformance,
  reviewGetBreach,
  reviewGetContract,
  reviewGetSelection,
  reviewListAppeals,
  reviewListBreaches,
  reviewListEvaluations,
  reviewListSelectionBreaches,
  reviewListSelections,
  reviewRegisterContract,
  reviewReportBreach,
  reviewWithdrawBreach,
} from "../../api/generated/sdk.gen";
import type {
  AppealState,
  BreachReport,
  BreachState,
  ContractRegistration,
  EvaluationRequest,
} from "../../api/generated/types.gen";
import { isApiError } from "../../api/problem";
import { useCursorList } from "../../api/useCursorList";

/** The supervision of selected experts (R-SUPERVISE) on review's APIs: contracts, evaluations, breaches, appeals. */

export const BREACH_STATES: BreachState[] = ["reported", "confirmed", "dismissed", "withdrawn"];
export const APPEAL_STATES: AppealState[] = ["open", "upheld", "dismissed"];

export function useSelections() {
  return useCursorList(["supervision", "selections"], async (cursor) => {
    const { data } = await reviewListSelections({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useSelection(applicationId: string) {
  return useQuery({
    queryKey: ["supervision", "selection", applicationId],
    queryFn: async () =>
      (await reviewGetSelection({ path: { application_id: applicationId }, throwOnError: true })).data,
  });
}

/** The registered contract, or null while none is registered (404). */
export function useContract(applicationId: string) {
  return useQuery({
    queryKey: ["supervision", "contract", applicationId],
    retry: false,
    queryFn: async () => {
      try {
        return (await reviewGetContract({ path: { application_id: applicationId }, throwOnError: true })).data;
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** The evaluations by funding year (one page: a selection has one per year of its term). */
export function useEvaluations(applicationId: string) {
  return useCursorList(["supervision", "evaluations", applicationId], async () => {
    const { data } = await reviewListEvaluations({ path: { application_id: applicationId }, throwOnError: true });
    return data;
  });
}

export function useSelectionBreaches(applicationId: string) {
  return useCursorList(["supervision", "selection-breaches", applicationId], async (cursor) => {
    const { data } = await reviewListSelectionBreaches({
      path: { application_id: applicationId },
      query: { cursor, limit: 50 },
      throwOnError: true,
    });
    return data;
  });
}

export function useBreaches(state: BreachState | undefined) {
  return useCursorList(["supervision", "breaches", state ?? "all"], async (cursor) => {
    const { data } = await reviewListBreaches({ query: { state, cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useBreach(breachId: string) {
  return useQuery({
    queryKey: ["supervision", "breach", breachId],
    queryFn: async () => (await reviewGetBreach({ path: { breach_id: breachId }, throwOnError: true })).data,
  });
}

export function useAppeals(state: AppealState | undefined) {
  return useCursorList(["supervision", "appeals", state ?? "all"], async (cursor) => {
    const { data } = await reviewListAppeals({ query: { state, cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["supervision"] });
}

const keyed = (key: string) => ({ "Idempotency-Key": key });

export function useRegisterContract(applicationId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ContractRegistration; key: string }) =>
      (
        await reviewRegisterContract({
          path: { application_id: applicationId },
          body,
          headers: keyed(key),
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useEvaluate(applicationId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: EvaluationRequest; key: string }) =>
      (
        await reviewEvaluatePerformance({
          path: { application_id: applicationId },
          body,
          headers: keyed(key),
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useReportBreach(applicationId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: BreachReport; key: string }) =>
      (
        await reviewReportBreach({
          path: { application_id: applicationId },
          body,
          headers: keyed(key),
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export type BreachAction = "confirm" | "dismiss" | "withdraw";

/** An officer's decision on a breach: confirm (emits ContractBreached), dismiss or withdraw, with a reason. */
export function useBreachAction(breachId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ action, reason, key }: { action: BreachAction; reason?: string; key: string }) => {
      const path = { breach_id: breachId };
      if (action === "confirm")
        return (await reviewConfirmBreach({ path, headers: keyed(key), throwOnError: true })).data;
      const body = { reason: reason ?? "" };
      if (action === "dismiss")
        return (await reviewDismissBreach({ path, body, headers: keyed(key), throwOnError: true })).data;
      return (await reviewWithdrawBreach({ path, body, headers: keyed(key), throwOnError: true })).data;
    },
    onSuccess: invalidate,
  });
}

export function useAppealBreach(breachId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ grounds, key }: { grounds: string; key: string }) =>
      (
        await reviewAppealBreach({
          path: { breach_id: breachId },
          body: { grounds },
          headers: keyed(key),
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useDismissAppeal(appealId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ reason, key }: { reason: string; key: string }) =>
      (
        await reviewDismissAppeal({
          path: { appeal_id: appealId },
          body: { reason },
          headers: keyed(key),
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}
