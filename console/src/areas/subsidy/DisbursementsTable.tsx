import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { DisbursementRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag, Money } from "../../components/format";
import type { useDisbursements } from "./hooks";

/** Disbursements and where each stands at municipal finance (pending, accepted, settled, failed, cancelled). */
export function DisbursementsTable({ list }: { list: ReturnType<typeof useDisbursements> }) {
  const { t } = useTranslation("subsidy");
  return (
    <CursorTable<DisbursementRead>
      list={list}
      rowKey="id"
      locale={{ emptyText: t("disbursements.empty") }}
      columns={[
        {
          title: t("fields.expert"),
          dataIndex: "expert_name",
          render: (name: string, row) => <Link to={`/subsidy/entitlements/${row.entitlement_id}`}>{name}</Link>,
        },
        { title: t("fields.employer"), dataIndex: "employer_name" },
        { title: t("fields.fundingYear"), dataIndex: "funding_year" },
        { title: t("fields.amount"), dataIndex: "amount", align: "right", render: (v) => <Money value={v} /> },
        {
          title: t("fields.financeStatus"),
          dataIndex: "status",
          render: (value: string, row) => (
            <span>
              <EnumTag ns="subsidy" name="DisbursementStatus" value={value} />
              {row.failure_reason && <Typography.Text type="secondary">{row.failure_reason}</Typography.Text>}
            </span>
          ),
        },
        { title: t("fields.bookedOn"), dataIndex: "booked_on", render: (v) => <BeijingTime value={v} /> },
        {
          title: t("fields.source"),
          dataIndex: "run_id",
          render: (run: string | null) => (run ? t("disbursements.byRun") : t("disbursements.byOfficer")),
        },
        { title: t("fields.createdAt"), dataIndex: "created_at", render: (v) => <BeijingTime value={v} /> },
      ]}
    />
  );
}
