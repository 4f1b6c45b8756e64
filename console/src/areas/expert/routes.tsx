import { lazy } from "react";
import type { Area } from "../types";

const ProfilePage = lazy(() => import("./ProfilePage"));
const CoursesPage = lazy(() => import("./CoursesPage"));
const ConsultationsPage = lazy(() => import("./ConsultationsPage"));

/** The foreign expert's own screens: the record and postings matched, courses, consultations. */
export const area: Area = {
  namespace: "expert",
  routes: [
    { path: "expert/profile", label: "expert:menu.profile", roles: ["expert"], element: ProfilePage },
    { path: "expert/courses", label: "expert:menu.courses", roles: ["expert"], element: CoursesPage },
    { path: "expert/consultations", label: "expert:menu.consultations", roles: ["expert"], element: ConsultationsPage },
  ],
};
