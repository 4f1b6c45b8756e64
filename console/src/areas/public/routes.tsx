import { lazy } from "react";
import type { Area } from "../types";

const CataloguePage = lazy(() => import("./CataloguePage"));
const MapPage = lazy(() => import("./MapPage"));
const JobBoardPage = lazy(() => import("./JobBoardPage"));
const GuidePage = lazy(() => import("./GuidePage"));

/** The public pages (no sign-in): the catalogue, the map of experts, the job board, the guide and notices. */
export const area: Area = {
  namespace: "public",
  routes: [
    { path: "public/catalogue", label: "public:menu.catalogue", roles: "public", element: CataloguePage },
    { path: "public/map", label: "public:menu.map", roles: "public", element: MapPage },
    { path: "public/jobs", label: "public:menu.jobs", roles: "public", element: JobBoardPage },
    { path: "public/guide", label: "public:menu.guide", roles: "public", element: GuidePage },
  ],
};
