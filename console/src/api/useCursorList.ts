import { type QueryKey, useInfiniteQuery } from "@tanstack/react-query";

/** A page of a list as every service answers it: items in keyset order, the cursor of the next page. */
export interface CursorPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * A long list paged with the API's own cursors (never offsets): `fetchPage(cursor)` reads one page; `loadMore`
 * reads the next while `hasMore`.
 */
export function useCursorList<T>(
  key: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  options: { enabled?: boolean } = {},
) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: options.enabled ?? true,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return {
    items,
    isLoading: query.isLoading,
    error: query.error,
    hasMore: query.hasNextPage,
    loadMore: () => query.fetchNextPage(),
    isLoadingMore: query.isFetchingNextPage,
    refetch: query.refetch,
  };
}
