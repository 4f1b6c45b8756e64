import type { Area } from "../types";

export const area: Area = { namespace: "applications", routes: [] };
