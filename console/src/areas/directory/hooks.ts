import { useQuery } from "@tanstack/react-query";
import { directoryExpertTimeline, directoryGetExpert, directorySearchExperts } from "../../api/generated/sdk.gen";
import { useCursorList } from "../../api/useCursorList";

/** The expert database (R-PLATFORM (1)) and an expert's timeline across services (R-SUPERVISE). */

export function useExperts(q: string) {
  return useCursorList(["directory", "experts", q], async (cursor) => {
    const { data } = await directorySearchExperts({
      query: { q: q || undefined, cursor, limit: 50 },
      throwOnError: true,
    });
    return data;
  });
}

export function useExpert(expertId: string) {
  return useQuery({
    queryKey: ["directory", "expert", expertId],
    queryFn: async () => (await directoryGetExpert({ path: { expert_id: expertId }, throwOnError: true })).data,
  });
}

export function useTimeline(expertId: string) {
  return useCursorList(["directory", "timeline", expertId], async (cursor) => {
    const { data } = await directoryExpertTimeline({
      path: { expert_id: expertId },
      query: { cursor, limit: 100 },
      throwOnError: true,
    });
    return data;
  });
}
