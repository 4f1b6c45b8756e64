import { Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { EntitlementRead, Track } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { EnumTag, Money } from "../../components/format";
import { ENTITLEMENT_STATUSES, type EntitlementStatus, TRACKS, useEntitlements } from "./hooks";

/** Entitlements by status and track (filters in the URL); the API scopes them to the employer or the expert. */
export default function EntitlementsPage() {
  const { t } = useTranslation("subsidy");
  const [params, setParams] = useSearchParams();
  const status = pick(params.get("status"), ENTITLEMENT_STATUSES);
  const track = pick(params.get("track"), TRACKS);
  const list = useEntitlements({ status, track });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("entitlements.title")}</Typography.Title>
      <Space wrap>
        <Select<EntitlementStatus | "">
          aria-label={t("entitlements.statusFilter")}
          style={{ width: 200 }}
          value={status ?? ""}
          onChange={(value) => set("status", value)}
          options={[
            { value: "", label: t("entitlements.allStatuses") },
            ...ENTITLEMENT_STATUSES.map((value) => ({ value, label: t(`enums.EntitlementStatus.${value}`) })),
          ]}
        />
        <Select<Track | "">
          aria-label={t("entitlements.trackFilter")}
          style={{ width: 280 }}
          value={track ?? ""}
          onChange={(value) => set("track", value)}
          options={[
            { value: "", label: t("entitlements.allTracks") },
            ...TRACKS.map((value) => ({ value, label: t(`enums.Track.${value}`) })),
          ]}
        />
      </Space>
      <EntitlementsTable list={list} />
    </Space>
  );
}

export function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

export function EntitlementsTable({ list }: { list: ReturnType<typeof useEntitlements> }) {
  const { t } = useTranslation("subsidy");
  return (
    <CursorTable<EntitlementRead>
      list={list}
      rowKey="id"
      locale={{ emptyText: t("entitlements.empty") }}
      columns={[
        {
          title: t("fields.expert"),
          dataIndex: "expert_name",
          render: (name: string, row) => <Link to={`/subsidy/entitlements/${row.id}`}>{name}</Link>,
        },
        { title: t("fields.employer"), dataIndex: "employer_name" },
        { title: t("fields.track"), dataIndex: "track", render: (value: Track) => t(`enums.Track.${value}`) },
        {
          title: t("fields.status"),
          dataIndex: "status",
          render: (value: string) => <EnumTag ns="subsidy" name="EntitlementStatus" value={value} />,
        },
        { title: t("fields.granted"), dataIndex: "granted", align: "right", render: (v) => <Money value={v} /> },
        { title: t("fields.disbursed"), dataIndex: "disbursed", align: "right", render: (v) => <Money value={v} /> },
        { title: t("fields.inPayment"), dataIndex: "in_payment", align: "right", render: (v) => <Money value={v} /> },
      ]}
    />
  );
}
