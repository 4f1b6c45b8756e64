import type { ComponentType, LazyExoticComponent, ReactNode } from "react";
import type { Role } from "../auth/session";

/**
 * One screen of an area of the console. Areas mirror the services' sub-domains (areas/<area>/); each lists its
 * screens in its `routes.tsx`, and the menu shows a screen to those of its roles (or to everyone: "public").
 */
export interface AreaRoute {
  /** Below /console/, without a leading slash: "applications", "applications/:applicationId". */
  path: string;
  /** The menu label, "<namespace>:<key>". */
  label: string;
  roles: readonly Role[] | "public";
  /** Shown in the menu (detail screens are not). Default true. */
  menu?: boolean;
  icon?: ReactNode;
  element: LazyExoticComponent<ComponentType>;
}

export interface Area {
  /** The area's namespace in the catalogues and its menu group's label key ("<namespace>:area"). */
  namespace: string;
  routes: AreaRoute[];
}
