import { lazy } from "react";
import type { Area } from "../types";

const ApplicationsPage = lazy(() => import("./ApplicationsPage"));
const ApplicationFormPage = lazy(() => import("./ApplicationFormPage"));
const ApplicationPage = lazy(() => import("./ApplicationPage"));
const PreliminaryQueuePage = lazy(() => import("./PreliminaryQueuePage"));
const FormalQueuePage = lazy(() => import("./FormalQueuePage"));

/** The first flow of the measures (R-APPLY, R-FORMAL): the employer applies, two levels review. */
export const area: Area = {
  namespace: "applications",
  routes: [
    {
      path: "applications",
      label: "applications:menu.list",
      roles: ["employer", "bureau_officer", "admin"],
      element: ApplicationsPage,
    },
    { path: "applications/new", label: "applications:menu.new", roles: ["employer"], element: ApplicationFormPage },
    {
      path: "reviews/preliminary",
      label: "applications:menu.preliminaryQueue",
      roles: ["preliminary_reviewer"],
      element: PreliminaryQueuePage,
    },
    {
      path: "reviews/formal",
      label: "applications:menu.formalQueue",
      roles: ["bureau_officer", "admin"],
      element: FormalQueuePage,
    },
    {
      path: "applications/:applicationId",
      label: "applications:menu.detail",
      roles: ["employer", "preliminary_reviewer", "bureau_officer", "admin"],
      menu: false,
      element: ApplicationPage,
    },
    {
      path: "applications/:applicationId/edit",
      label: "applications:menu.edit",
      roles: ["employer"],
      menu: false,
      element: ApplicationFormPage,
    },
  ],
};
