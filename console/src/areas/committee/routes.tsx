import { lazy } from "react";
import type { Area } from "../types";

const SittingsPage = lazy(() => import("./SittingsPage"));
const SittingPage = lazy(() => import("./SittingPage"));
const CaseAtSittingPage = lazy(() => import("./CaseAtSittingPage"));
const CasesPage = lazy(() => import("./CasesPage"));
const RosterPage = lazy(() => import("./RosterPage"));

/** The selection committee (R-COMMITTEE): the officer convenes and decides, members declare, score and vote. */
export const area: Area = {
  namespace: "committee",
  routes: [
    {
      path: "committee/sittings",
      label: "committee:menu.sittings",
      roles: ["bureau_officer", "admin", "committee_member"],
      element: SittingsPage,
    },
    { path: "committee/cases", label: "committee:menu.cases", roles: ["bureau_officer", "admin"], element: CasesPage },
    {
      path: "committee/members",
      label: "committee:menu.roster",
      roles: ["bureau_officer", "admin"],
      element: RosterPage,
    },
    {
      path: "committee/sittings/:sittingId",
      label: "committee:menu.sitting",
      roles: ["bureau_officer", "admin", "committee_member"],
      menu: false,
      element: SittingPage,
    },
    {
      path: "committee/sittings/:sittingId/cases/:applicationId",
      label: "committee:menu.case",
      roles: ["bureau_officer", "admin", "committee_member"],
      menu: false,
      element: CaseAtSittingPage,
    },
  ],
};
