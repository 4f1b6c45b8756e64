import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { PermitCaseRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { useCases } from "./hooks";

/** Green-channel cases with their SLA state (R-GREEN: working days by the State Council's calendar). */
export default function CasesPage() {
  const { t } = useTranslation("permits");
  const list = useCases();
  return (
    <div>
      <Typography.Title level={2}>{t("cases.title")}</Typography.Title>
      <CursorTable<PermitCaseRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("cases.empty") }}
        columns={[
          {
            title: t("fields.openedAt"),
            dataIndex: "opened_at",
            render: (value, row) => (
              <Link to={`/permits/cases/${row.id}`}>
                <BeijingTime value={value} />
              </Link>
            ),
          },
          { title: t("fields.track"), dataIndex: "track", render: (value) => t(`enums.Track.${value}`) },
          {
            title: t("fields.status"),
            dataIndex: "status",
            render: (value) => <EnumTag ns="permits" name="CaseStatus" value={value} />,
          },
          { title: t("fields.dueBy"), dataIndex: "due_by" },
          {
            title: t("fields.sla"),
            dataIndex: "sla_state",
            render: (value) => <EnumTag ns="permits" name="SlaState" value={value} />,
          },
          {
            title: t("fields.contract"),
            key: "contract",
            render: (_, row) => `${row.contract_start} – ${row.contract_end}`,
          },
        ]}
      />
    </div>
  );
}
