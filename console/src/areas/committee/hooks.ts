import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  reviewAddMember,
  reviewCreateSitting,
  reviewDecide,
  reviewDeclareConflict,
  reviewGetCase,
  reviewGetCaseSheet,
  reviewGetDecision,
  reviewGetMe,
  reviewGetSitting,
  reviewListCases,
  reviewListMembers,
  reviewListSittings,
  reviewQuoteFundingPlan,
  reviewRecordAttendance,
  reviewRecordScore,
  reviewRecordVote,
} from "../../api/generated/sdk.gen";
import type {
  CaseState,
  DecisionRequest,
  MemberCreate,
  ScoreSheet,
  SittingCreate,
} from "../../api/generated/types.gen";
import { isApiError } from "../../api/problem";
import { useCursorList } from "../../api/useCursorList";

/** The selection committee (R-COMMITTEE) on review's APIs: roster, cases, sittings, acts and the decision. */

export const SEAT_TYPES = ["expert", "organization", "development_reform", "science_technology", "industry"] as const;
export const CRITERIA = ["achievements", "renown", "recognition", "need"] as const;

export function useMembers(enabled = true) {
  return useQuery({
    queryKey: ["committee", "members"],
    enabled,
    queryFn: async () => (await reviewListMembers({ throwOnError: true })).data,
  });
}

/** The roster's entry of the signed-in member (none for an officer: a 403 is "not a member"). */
export function useMe(enabled: boolean) {
  return useQuery({
    queryKey: ["committee", "me"],
    enabled,
    retry: false,
    queryFn: async () => {
      try {
        return (await reviewGetMe({ throwOnError: true })).data;
      } catch (error) {
        if (isApiError(error) && error.status === 403) return null;
        throw error;
      }
    },
  });
}

export function useCases(state: CaseState) {
  return useCursorList(["committee", "cases", state], async (cursor) => {
    const { data } = await reviewListCases({ query: { state, cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

/** Every case awaiting a sitting (first page, up to 200), for the agenda of a new sitting. */
export function useAwaitingCases() {
  return useQuery({
    queryKey: ["committee", "cases", "awaiting_sitting", "all"],
    queryFn: async () =>
      (await reviewListCases({ query: { state: "awaiting_sitting", limit: 200 }, throwOnError: true })).data,
  });
}

export function useCase(applicationId: string) {
  return useQuery({
    queryKey: ["committee", "case", applicationId],
    queryFn: async () => (await reviewGetCase({ path: { application_id: applicationId }, throwOnError: true })).data,
  });
}

export function useSittings() {
  return useCursorList(["committee", "sittings"], async (cursor) => {
    const { data } = await reviewListSittings({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useSitting(sittingId: string) {
  return useQuery({
    queryKey: ["committee", "sitting", sittingId],
    queryFn: async () => (await reviewGetSitting({ path: { sitting_id: sittingId }, throwOnError: true })).data,
  });
}

export function useCaseSheet(sittingId: string, applicationId: string) {
  return useQuery({
    queryKey: ["committee", "sheet", sittingId, applicationId],
    queryFn: async () =>
      (
        await reviewGetCaseSheet({
          path: { sitting_id: sittingId, application_id: applicationId },
          throwOnError: true,
        })
      ).data,
  });
}

/** The committee's decision on a case, or null while there is none (404). */
export function useDecision(applicationId: string) {
  return useQuery({
    queryKey: ["committee", "decision", applicationId],
    retry: false,
    queryFn: async () => {
      try {
        return (await reviewGetDecision({ path: { application_id: applicationId }, throwOnError: true })).data;
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function useInvalidateCommittee() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["committee"] });
}

export function useAddMember() {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ body, key }: { body: MemberCreate; key: string }) =>
      (await reviewAddMember({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function useConveneSitting() {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ body, key }: { body: SittingCreate; key: string }) =>
      (await reviewCreateSitting({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function useRecordAttendance(sittingId: string) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ present, key }: { present: string[]; key: string }) =>
      (
        await reviewRecordAttendance({
          path: { sitting_id: sittingId },
          body: { present_member_ids: present },
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

type CasePath = { sitting_id: string; application_id: string };

export function useDeclareConflict(path: CasePath) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ reason, key }: { reason: string; key: string }) =>
      (await reviewDeclareConflict({ path, body: { reason }, headers: { "Idempotency-Key": key }, throwOnError: true }))
        .data,
    onSuccess: invalidate,
  });
}

export function useRecordScore(path: CasePath) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ScoreSheet; key: string }) =>
      (await reviewRecordScore({ path, body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function useRecordVote(path: CasePath) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ approve, key }: { approve: boolean; key: string }) =>
      (await reviewRecordVote({ path, body: { approve }, headers: { "Idempotency-Key": key }, throwOnError: true }))
        .data,
    onSuccess: invalidate,
  });
}

export function useDecide(path: CasePath) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async ({ body, key }: { body: DecisionRequest; key: string }) =>
      (await reviewDecide({ path, body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function useQuoteAgain(applicationId: string) {
  const invalidate = useInvalidateCommittee();
  return useMutation({
    mutationFn: async (key: string) =>
      (
        await reviewQuoteFundingPlan({
          path: { application_id: applicationId },
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}
