import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  permitsCreateWebhookSubscription,
  permitsListAllWebhookDeliveries,
  permitsListWebhookSubscriptions,
  permitsReplayWebhookDelivery,
} from "../../api/generated/sdk.gen";
import type { DeliveryStatus, WebhookSubscriptionCreate } from "../../api/generated/types.gen";
import { useCursorList } from "../../api/useCursorList";

/** Partner agencies' webhook subscriptions and the delivery log (permits' signed webhooks). */

export const EVENT_TYPES = [
  "PermitCaseOpened",
  "WorkPermitIssued",
  "ResidencePermitIssued",
  "PermitExpiring",
  "PermitRevocationRequested",
  "PermitCaseReinstated",
] as const;
export const DELIVERY_STATUSES: DeliveryStatus[] = ["pending", "delivered", "exhausted", "gone"];

export function useSubscriptions() {
  return useCursorList(["webhooks", "subscriptions"], async (cursor) => {
    const { data } = await permitsListWebhookSubscriptions({ query: { cursor, limit: 50 }, throwOnError: true });
    return data;
  });
}

export function useDeliveries(status: DeliveryStatus | undefined) {
  return useCursorList(["webhooks", "deliveries", status ?? "all"], async (cursor) => {
    const { data } = await permitsListAllWebhookDeliveries({
      query: { status, cursor, limit: 50 },
      throwOnError: true,
    });
    return data;
  });
}

export function useCreateSubscription() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: WebhookSubscriptionCreate; key: string }) =>
      (await permitsCreateWebhookSubscription({ body, headers: { "Idempotency-Key": key }, throwOnError: true })).data,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["webhooks"] }),
  });
}

export function useReplayDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, key }: { id: number; key: string }) =>
      (
        await permitsReplayWebhookDelivery({
          path: { delivery_id: id },
          headers: { "Idempotency-Key": key },
          throwOnError: true,
        })
      ).data,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["webhooks"] }),
  });
}
