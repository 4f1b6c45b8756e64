import type { Session } from "../auth/session";
import { area as admin } from "./admin/routes";
import { area as applications } from "./applications/routes";
import { area as committee } from "./committee/routes";
import { area as directory } from "./directory/routes";
import { area as expert } from "./expert/routes";
import { area as permits } from "./permits/routes";
import { area as publicArea } from "./public/routes";
import { area as subsidy } from "./subsidy/routes";
import { area as supervision } from "./supervision/routes";
import type { Area, AreaRoute } from "./types";
import { area as webhooks } from "./webhooks/routes";

/** Every area, in the menu's order: the work of the measures' two flows first, then the public pages. */
export const AREAS: Area[] = [
  applications,
  committee,
  supervision,
  subsidy,
  permits,
  directory,
  webhooks,
  admin,
  expert,
  publicArea,
];

export function allowed(route: AreaRoute, session: Session | null): boolean {
  if (route.roles === "public") return true;
  return !!session && session.roles.some((role) => (route.roles as readonly string[]).includes(role));
}
