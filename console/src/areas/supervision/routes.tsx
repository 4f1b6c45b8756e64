import { lazy } from "react";
import type { Area } from "../types";

const SelectionsPage = lazy(() => import("./SelectionsPage"));
const SelectionPage = lazy(() => import("./SelectionPage"));
const BreachesPage = lazy(() => import("./BreachesPage"));
const BreachPage = lazy(() => import("./BreachPage"));
const AppealsPage = lazy(() => import("./AppealsPage"));

/** The supervision of selected experts (R-SUPERVISE): contracts, evaluations, breaches and their appeals. */
export const area: Area = {
  namespace: "supervision",
  routes: [
    {
      path: "supervision/selections",
      label: "supervision:menu.selections",
      roles: ["bureau_officer", "admin"],
      element: SelectionsPage,
    },
    {
      path: "supervision/breaches",
      label: "supervision:menu.breaches",
      roles: ["bureau_officer", "admin", "employer", "expert"],
      element: BreachesPage,
    },
    {
      path: "supervision/appeals",
      label: "supervision:menu.appeals",
      roles: ["bureau_officer", "admin"],
      element: AppealsPage,
    },
    {
      path: "supervision/selections/:applicationId",
      label: "supervision:menu.selection",
      roles: ["bureau_officer", "admin", "employer"],
      menu: false,
      element: SelectionPage,
    },
    {
      path: "supervision/breaches/:breachId",
      label: "supervision:menu.breach",
      roles: ["bureau_officer", "admin", "employer", "expert"],
      menu: false,
      element: BreachPage,
    },
  ],
};
