import { lazy } from "react";
import type { Area } from "../types";

const SubscriptionsPage = lazy(() => import("./SubscriptionsPage"));
const DeliveriesPage = lazy(() => import("./DeliveriesPage"));

/** Partner agencies' webhooks (the entry-exit bureau and others): subscriptions and the delivery log. */
export const area: Area = {
  namespace: "webhooks",
  routes: [
    {
      path: "webhooks/subscriptions",
      label: "webhooks:menu.subscriptions",
      roles: ["bureau_officer", "admin"],
      element: SubscriptionsPage,
    },
    {
      path: "webhooks/deliveries",
      label: "webhooks:menu.deliveries",
      roles: ["bureau_officer", "admin"],
      element: DeliveriesPage,
    },
  ],
};
