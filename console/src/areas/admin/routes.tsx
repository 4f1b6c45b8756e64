import type { Area } from "../types";

export const area: Area = { namespace: "admin", routes: [] };
