import { lazy } from "react";
import type { Area } from "../types";

const EntitlementsPage = lazy(() => import("./EntitlementsPage"));
const EntitlementPage = lazy(() => import("./EntitlementPage"));
const ClaimsPage = lazy(() => import("./ClaimsPage"));
const DisbursementsPage = lazy(() => import("./DisbursementsPage"));
const AnnualRunPage = lazy(() => import("./AnnualRunPage"));
const ReconciliationsPage = lazy(() => import("./ReconciliationsPage"));
// The one screen that draws charts: ECharts is loaded with it, never with the first route.
const StatisticsPage = lazy(() => import("./StatisticsPage"));
const MySubsidyPage = lazy(() => import("./MySubsidyPage"));

const OFFICERS = ["bureau_officer", "admin"] as const;

/** The second flow's money (R-SUB-*, R-ROUNDING, R-SUPERVISE): entitlements, claims, disbursements, the annual run. */
export const area: Area = {
  namespace: "subsidy",
  routes: [
    {
      path: "subsidy/entitlements",
      label: "subsidy:menu.entitlements",
      roles: [...OFFICERS, "employer"],
      element: EntitlementsPage,
    },
    {
      path: "subsidy/entitlements/:entitlementId",
      label: "subsidy:menu.entitlement",
      roles: [...OFFICERS, "employer", "expert"],
      menu: false,
      element: EntitlementPage,
    },
    { path: "subsidy/claims", label: "subsidy:menu.claims", roles: [...OFFICERS, "employer"], element: ClaimsPage },
    {
      path: "subsidy/disbursements",
      label: "subsidy:menu.disbursements",
      roles: [...OFFICERS, "employer"],
      element: DisbursementsPage,
    },
    { path: "subsidy/annual-runs", label: "subsidy:menu.annualRuns", roles: OFFICERS, element: AnnualRunPage },
    {
      path: "subsidy/reconciliations",
      label: "subsidy:menu.reconciliations",
      roles: OFFICERS,
      element: ReconciliationsPage,
    },
    { path: "subsidy/statistics", label: "subsidy:menu.statistics", roles: OFFICERS, element: StatisticsPage },
    { path: "subsidy/mine", label: "subsidy:menu.mine", roles: ["expert"], element: MySubsidyPage },
  ],
};
