import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  permitsGetCase,
  permitsListCaseApplications,
  permitsListCases,
  permitsListExpertPermits,
  permitsListSchoolPlacements,
  permitsRequestSchoolPlacement,
  permitsSlaReport,
} from "../../api/generated/sdk.gen";
import type { SchoolPlacementCreate } from "../../api/generated/types.gen";
import { useCursorList } from "../../api/useCursorList";

/** The green channel (R-GREEN, R-PERMIT, R-SCHOOL) on permits' APIs. */

export function useCases() {
  return useCursorList(["permits", "cases"], async (cursor) => {
    const { data } = await permitsListCases({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useCase(caseId: string) {
  return useQuery({
    queryKey: ["permits", "case", caseId],
    queryFn: async () => (await permitsGetCase({ path: { case_id: caseId }, throwOnError: true })).data,
  });
}

export function useCaseApplications(caseId: string) {
  return useQuery({
    queryKey: ["permits", "case", caseId, "applications"],
    queryFn: async () => (await permitsListCaseApplications({ path: { case_id: caseId }, throwOnError: true })).data,
  });
}

export function usePlacements(caseId: string) {
  return useQuery({
    queryKey: ["permits", "case", caseId, "placements"],
    queryFn: async () => (await permitsListSchoolPlacements({ path: { case_id: caseId }, throwOnError: true })).data,
  });
}

export function useSlaReport() {
  return useQuery({
    queryKey: ["permits", "sla-report"],
    queryFn: async () => (await permitsSlaReport({ throwOnError: true })).data,
  });
}

export function useExpertPermits(expertId: string | undefined) {
  return useQuery({
    queryKey: ["permits", "expert", expertId],
    enabled: !!expertId,
    queryFn: async () =>
      (await permitsListExpertPermits({ path: { expert_id: expertId ?? "" }, throwOnError: true })).data,
  });
}

export function useRequestPlacement(caseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: SchoolPlacementCreate; key: string }) =>
      (
        await permitsRequestSchoolPlacement({
          path: { case_id: caseId },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["permits"] }),
  });
}
