import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  directoryEnrol,
  directoryExpertPostings,
  directoryGetExpert,
  directoryListConsultations,
  directoryListCourses,
} from "../../api/generated/sdk.gen";
import { useCursorList } from "../../api/useCursorList";

/** What the directory offers the signed-in expert: the record, courses, consultations, postings matched. */

export function useMyRecord(expertId: string | undefined) {
  return useQuery({
    queryKey: ["expert", "record", expertId],
    enabled: !!expertId,
    queryFn: async () => (await directoryGetExpert({ path: { expert_id: expertId ?? "" }, throwOnError: true })).data,
  });
}

export function useMatchingPostings(expertId: string | undefined) {
  return useQuery({
    queryKey: ["expert", "postings", expertId],
    enabled: !!expertId,
    queryFn: async () =>
      (await directoryExpertPostings({ path: { expert_id: expertId ?? "" }, throwOnError: true })).data,
  });
}

/** The courses by start date (the API answers them in one list). */
export function useCourses() {
  return useCursorList(["expert", "courses"], async () => {
    const { data } = await directoryListCourses({ throwOnError: true });
    return { items: data, next_cursor: null };
  });
}

/** The consultations the caller may see (an expert: those opened), in one list as the API answers them. */
export function useConsultations() {
  return useCursorList(["expert", "consultations"], async () => {
    const { data } = await directoryListConsultations({ throwOnError: true });
    return { items: data, next_cursor: null };
  });
}

export function useEnrol() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ courseId, key }: { courseId: string; key: string }) =>
      (
        await directoryEnrol({
          path: { course_id: courseId },
          body: { expert_id: null },
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["expert"] }),
  });
}
