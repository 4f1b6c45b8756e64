import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Space, Table, Typography } from "antd";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import {
  directoryListParked,
  directoryReplayParked,
  intakeListParked,
  intakeReplayParked,
  permitsListParked,
  permitsReplayParked,
  reviewListParked,
  reviewReplayParked,
  subsidyListParked,
  subsidyReplayParked,
} from "../../api/generated/sdk.gen";
import type { ParkedMessageRead } from "../../api/generated/types.gen";
import { BeijingTime } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";

const SERVICES = {
  intake: { list: intakeListParked, replay: intakeReplayParked },
  review: { list: reviewListParked, replay: reviewReplayParked },
  subsidy: { list: subsidyListParked, replay: subsidyReplayParked },
  permits: { list: permitsListParked, replay: permitsReplayParked },
  directory: { list: directoryListParked, replay: directoryReplayParked },
} as const;
type Service = keyof typeof SERVICES;

/** Messages each service parked after its delivery limit, and handing them back to its queue (administrators). */
export default function ParkedPage() {
  const { t } = useTranslation("admin");
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("parked.title")}</Typography.Title>
      <Typography.Paragraph>{t("parked.explain")}</Typography.Paragraph>
      {(Object.keys(SERVICES) as Service[]).map((service) => (
        <ServiceParked key={service} service={service} />
      ))}
    </Space>
  );
}

function ServiceParked({ service }: { service: Service }) {
  const { t } = useTranslation("admin");
  const client = useQueryClient();
  const key = useRef(newIdempotencyKey());
  const parked = useQuery({
    queryKey: ["admin", "parked", service],
    queryFn: async () => (await SERVICES[service].list({ throwOnError: true })).data,
  });
  const replay = useMutation({
    mutationFn: async () =>
      (
        await SERVICES[service].replay({
          body: { message_ids: null },
          headers: { "Idempotency-Key": key.current },
          throwOnError: true,
        })
      ).data,
    onSuccess: () => {
      key.current = newIdempotencyKey();
      void client.invalidateQueries({ queryKey: ["admin", "parked", service] });
    },
  });
  const rows = parked.data ?? [];
  return (
    <Card
      size="small"
      title={t("parked.of", { service: t(`services.${service}`), count: rows.length })}
      extra={
        <Button disabled={rows.length === 0} onClick={() => replay.mutate()} loading={replay.isPending}>
          {t("parked.replayAll")}
        </Button>
      }
    >
      <ProblemAlert error={parked.error ?? replay.error} />
      {replay.data && <p>{t("parked.replayed", { count: replay.data.replayed })}</p>}
      <Table<ParkedMessageRead>
        rowKey="message_id"
        size="small"
        pagination={false}
        dataSource={rows}
        loading={parked.isLoading}
        locale={{ emptyText: t("parked.none") }}
        columns={[
          { title: t("fields.routingKey"), dataIndex: "routing_key" },
          { title: t("fields.deliveries"), dataIndex: "delivery_count" },
          { title: t("fields.parkedAt"), dataIndex: "parked_at", render: (v) => <BeijingTime value={v} /> },
          { title: t("fields.body"), dataIndex: "body", ellipsis: true },
        ]}
      />
    </Card>
  );
}
