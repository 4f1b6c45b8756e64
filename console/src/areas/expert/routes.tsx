import type { Area } from "../types";

export const area: Area = { namespace: "expert", routes: [] };
