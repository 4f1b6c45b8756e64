import { lazy } from "react";
import type { Area } from "../types";

const ParkedPage = lazy(() => import("./ParkedPage"));

/** Operations for administrators: the messages parked after their delivery limit, and their replay. */
export const area: Area = {
  namespace: "admin",
  routes: [{ path: "admin/parked", label: "admin:menu.parked", roles: ["admin"], element: ParkedPage }],
};
