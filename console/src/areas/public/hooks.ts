import { useQuery } from "@tanstack/react-query";
import {
  directoryGuide,
  directoryListCatalogueEntries,
  directoryListNotices,
  directoryListPostings,
  directoryMapGeojson,
  directoryMapSummary,
} from "../../api/generated/sdk.gen";
import { useCursorList } from "../../api/useCursorList";

/** The directory's public pages (R-PLATFORM, R-CATALOGUE, R-SETTLE): read without signing in. */

export function useCatalogue() {
  return useCursorList(["public", "catalogue"], async (cursor) => {
    const { data } = await directoryListCatalogueEntries({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function usePostings() {
  return useCursorList(["public", "postings"], async (cursor) => {
    const { data } = await directoryListPostings({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useNotices() {
  return useCursorList(["public", "notices"], async (cursor) => {
    const { data } = await directoryListNotices({ query: { cursor, limit: 20 }, throwOnError: true });
    return data;
  });
}

export function useGuide() {
  return useQuery({
    queryKey: ["public", "guide"],
    queryFn: async () => (await directoryGuide({ throwOnError: true })).data,
  });
}

export function useMapSummary() {
  return useQuery({
    queryKey: ["public", "map", "summary"],
    queryFn: async () => (await directoryMapSummary({ throwOnError: true })).data,
  });
}

export interface CountryFeature {
  type: "Feature";
  properties: { country: string; name: string; region: string; subregion: string; count: number };
  geometry: unknown;
}

export function useCountryShapes() {
  return useQuery({
    queryKey: ["public", "map", "geojson"],
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () =>
      (await directoryMapGeojson({ throwOnError: true })).data as unknown as {
        type: "FeatureCollection";
        features: CountryFeature[];
      },
  });
}
