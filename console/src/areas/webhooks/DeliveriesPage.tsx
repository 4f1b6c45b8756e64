import { Button, Select, Space, Typography } from "antd";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { DeliveryStatus, WebhookDeliveryRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { DELIVERY_STATUSES, useDeliveries, useReplayDelivery } from "./hooks";

/** The delivery log across subscriptions, newest first; an exhausted delivery is flagged and can be replayed. */
export default function DeliveriesPage() {
  const { t } = useTranslation("webhooks");
  const [params, setParams] = useSearchParams();
  const chosen = params.get("status") as DeliveryStatus | null;
  const status = chosen && DELIVERY_STATUSES.includes(chosen) ? chosen : undefined;
  const list = useDeliveries(status);
  const replay = useReplayDelivery();
  const keys = useRef(new Map<number, string>());
  const keyOf = (id: number) => {
    if (!keys.current.has(id)) keys.current.set(id, newIdempotencyKey());
    return keys.current.get(id) as string;
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("deliveries.title")}</Typography.Title>
      <Select<DeliveryStatus | "">
        aria-label={t("deliveries.statusFilter")}
        style={{ width: 220 }}
        value={status ?? ""}
        onChange={(value) => setParams(value ? { status: value } : {})}
        options={[
          { value: "", label: t("deliveries.allStatuses") },
          ...DELIVERY_STATUSES.map((value) => ({ value, label: t(`enums.DeliveryStatus.${value}`) })),
        ]}
      />
      <ProblemAlert error={replay.error} />
      <CursorTable<WebhookDeliveryRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("deliveries.empty") }}
        columns={[
          { title: t("fields.event"), dataIndex: "event_type" },
          {
            title: t("fields.status"),
            dataIndex: "status",
            render: (value) => <EnumTag ns="webhooks" name="DeliveryStatus" value={value} />,
          },
          { title: t("fields.attempts"), dataIndex: "attempts" },
          {
            title: t("fields.lastStatus"),
            dataIndex: "last_status_code",
            render: (v, row) => v ?? row.last_error ?? "—",
          },
          { title: t("fields.createdAt"), dataIndex: "created_at", render: (v) => <BeijingTime value={v} /> },
          {
            title: t("deliveries.replay"),
            key: "replay",
            render: (_, row) => (
              <Button size="small" onClick={() => replay.mutate({ id: row.id, key: keyOf(row.id) })}>
                {t("deliveries.replayButton")}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
