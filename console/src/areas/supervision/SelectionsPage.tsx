import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { SelectionRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, Money } from "../../components/format";
import { useSelections } from "./hooks";

/** The selected experts under supervision (R-SUPERVISE): each with its approved terms. */
export default function SelectionsPage() {
  const { t } = useTranslation("supervision");
  const list = useSelections();
  return (
    <div>
      <Typography.Title level={2}>{t("selections.title")}</Typography.Title>
      <CursorTable<SelectionRead>
        list={list}
        rowKey="application_id"
        locale={{ emptyText: t("selections.empty") }}
        columns={[
          {
            title: t("fields.expert"),
            dataIndex: "expert_name",
            render: (name: string, row) => <Link to={`/supervision/selections/${row.application_id}`}>{name}</Link>,
          },
          { title: t("fields.employer"), dataIndex: "employer_name" },
          { title: t("fields.track"), dataIndex: "track", render: (value) => t(`enums.Track.${value}`) },
          {
            title: t("fields.term"),
            key: "term",
            render: (_, row) => `${row.approved_start} – ${row.approved_end}`,
          },
          {
            title: t("fields.salary"),
            dataIndex: "approved_annual_salary",
            render: (value) => <Money value={value} />,
          },
          { title: t("fields.decidedAt"), dataIndex: "decided_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </div>
  );
}
