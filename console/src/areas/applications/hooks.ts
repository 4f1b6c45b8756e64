import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { etagOf, newIdempotencyKey } from "../../api/client";
import {
  directoryListCatalogueEntries,
  intakeAddRecommendation,
  intakeApplicationHistory,
  intakeCreateApplication,
  intakeFormalReview,
  intakeGetApplication,
  intakeListApplications,
  intakePatchApplication,
  intakePreliminaryReview,
  intakeSubmitApplication,
} from "../../api/generated/sdk.gen";
import type {
  ApplicationCreate,
  ApplicationPatch,
  FormalReviewCreate,
  PreliminaryReviewCreate,
  RecommendationCreate,
  State,
} from "../../api/generated/types.gen";
import { useCursorList } from "../../api/useCursorList";

export const STATES: State[] = [
  "draft",
  "preliminary_review",
  "returned",
  "formal_review",
  "awaiting_committee",
  "approved",
  "declined",
  "rejected",
];

/** The applications the caller may see (the API scopes them to the employer or the reviewing body), by state. */
export function useApplications(state: State | undefined) {
  return useCursorList(["applications", state ?? "all"], async (cursor) => {
    const { data } = await intakeListApplications({ query: { state, cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

/** One application with its ETag (the version a change sends back as If-Match). */
export function useApplication(id: string | undefined) {
  return useQuery({
    queryKey: ["application", id],
    enabled: !!id,
    queryFn: async () => {
      const { data, response } = await intakeGetApplication({ path: { application_id: id ?? "" }, throwOnError: true });
      return { application: data, etag: etagOf(response) };
    },
  });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: ["application", id, "history"],
    queryFn: async () => (await intakeApplicationHistory({ path: { application_id: id }, throwOnError: true })).data,
  });
}

/** Published catalogue entries an application may name (R-CATALOGUE), first page. */
export function useCatalogueEntries() {
  return useQuery({
    queryKey: ["catalogue-entries"],
    queryFn: async () => (await directoryListCatalogueEntries({ query: { limit: 200 }, throwOnError: true })).data,
  });
}

function useInvalidate(id?: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["applications"] });
    if (id) void client.invalidateQueries({ queryKey: ["application", id] });
  };
}

/** Each mutation keeps one Idempotency-Key per user action: a retry of the same click never acts twice. */
export function useCreateApplication() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ body, key }: { body: ApplicationCreate; key: string }) =>
      (await intakeCreateApplication({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: invalidate,
  });
}

export function usePatchApplication(id: string) {
  const invalidate = useInvalidate(id);
  return useMutation({
    mutationFn: async ({ body, etag }: { body: ApplicationPatch; etag: string }) =>
      (
        await intakePatchApplication({
          path: { application_id: id },
          body,
          headers: { "If-Match": etag },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useSubmitApplication(id: string) {
  const invalidate = useInvalidate(id);
  return useMutation({
    mutationFn: async () =>
      (
        await intakeSubmitApplication({
          path: { application_id: id },
          headers: { "Idempotency-Key": newIdempotencyKey() },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useAddRecommendation(id: string) {
  const invalidate = useInvalidate(id);
  return useMutation({
    mutationFn: async ({ body, key }: { body: RecommendationCreate; key: string }) =>
      (
        await intakeAddRecommendation({
          path: { application_id: id },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function usePreliminaryReview(id: string) {
  const invalidate = useInvalidate(id);
  return useMutation({
    mutationFn: async ({ body, key }: { body: PreliminaryReviewCreate; key: string }) =>
      (
        await intakePreliminaryReview({
          path: { application_id: id },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useFormalReview(id: string) {
  const invalidate = useInvalidate(id);
  return useMutation({
    mutationFn: async ({ body, key }: { body: FormalReviewCreate; key: string }) =>
      (
        await intakeFormalReview({
          path: { application_id: id },
          body,
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: invalidate,
  });
}
