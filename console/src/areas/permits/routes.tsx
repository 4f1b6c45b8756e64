import { lazy } from "react";
import type { Area } from "../types";

const CasesPage = lazy(() => import("./CasesPage"));
const CasePage = lazy(() => import("./CasePage"));
const SlaReportPage = lazy(() => import("./SlaReportPage"));
const MyPermitsPage = lazy(() => import("./MyPermitsPage"));

/** The green channel for permits (R-GREEN, R-PERMIT, R-SCHOOL). */
export const area: Area = {
  namespace: "permits",
  routes: [
    {
      path: "permits/cases",
      label: "permits:menu.cases",
      roles: ["bureau_officer", "admin", "employer"],
      element: CasesPage,
    },
    {
      path: "permits/sla-report",
      label: "permits:menu.sla",
      roles: ["bureau_officer", "admin"],
      element: SlaReportPage,
    },
    { path: "permits/mine", label: "permits:menu.mine", roles: ["expert"], element: MyPermitsPage },
    {
      path: "permits/cases/:caseId",
      label: "permits:menu.case",
      roles: ["bureau_officer", "admin", "employer"],
      menu: false,
      element: CasePage,
    },
  ],
};
