import { Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { CaseState, CommitteeCaseRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { dossierOf } from "./dossier";
import { useCases } from "./hooks";

const STATES: CaseState[] = ["awaiting_sitting", "on_agenda", "approved", "declined"];

/** Cases from passed formal reviews (R-FORMAL → R-COMMITTEE), by state; the state lives in the URL. */
export default function CasesPage() {
  const { t } = useTranslation("committee");
  const [params, setParams] = useSearchParams();
  const chosen = params.get("state") as CaseState | null;
  const state = chosen && STATES.includes(chosen) ? chosen : "awaiting_sitting";
  const list = useCases(state);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("cases.title")}</Typography.Title>
      <Select<CaseState>
        aria-label={t("cases.stateFilter")}
        style={{ width: 240 }}
        value={state}
        onChange={(value) => setParams({ state: value })}
        options={STATES.map((value) => ({ value, label: t(`enums.CaseState.${value}`) }))}
      />
      <CursorTable<CommitteeCaseRead>
        list={list}
        rowKey="application_id"
        locale={{ emptyText: t("cases.empty") }}
        columns={[
          {
            title: t("fields.candidate"),
            key: "candidate",
            render: (_, row) => <Link to={`/applications/${row.application_id}`}>{dossierOf(row).candidate}</Link>,
          },
          { title: t("fields.employer"), key: "employer", render: (_, row) => dossierOf(row).employer },
          { title: t("fields.track"), dataIndex: "track", render: (value) => t(`enums.Track.${value}`) },
          {
            title: t("fields.state"),
            dataIndex: "state",
            render: (value) => <EnumTag ns="committee" name="CaseState" value={value} />,
          },
          {
            title: t("fields.sitting"),
            dataIndex: "sitting_id",
            render: (id: string | null) =>
              id ? <Link to={`/committee/sittings/${id}`}>{t("cases.openSitting")}</Link> : "—",
          },
          { title: t("fields.receivedAt"), dataIndex: "received_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </Space>
  );
}
