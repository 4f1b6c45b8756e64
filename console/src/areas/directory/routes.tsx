import { lazy } from "react";
import type { Area } from "../types";

const ExpertsPage = lazy(() => import("./ExpertsPage"));
const ExpertPage = lazy(() => import("./ExpertPage"));

/** The directory's records for officers: the expert database and each expert's timeline (R-SUPERVISE). */
export const area: Area = {
  namespace: "directory",
  routes: [
    {
      path: "directory/experts",
      label: "directory:menu.experts",
      roles: ["bureau_officer", "admin"],
      element: ExpertsPage,
    },
    {
      path: "directory/experts/:expertId",
      label: "directory:menu.expert",
      roles: ["bureau_officer", "admin"],
      menu: false,
      element: ExpertPage,
    },
  ],
};
