import { Table } from "antd";
import { useTranslation } from "react-i18next";
import { Money } from "../../components/format";

interface PlanItem {
  code: string;
  article: string;
  estimated_yearly_amount?: string;
}

/** The funding plan the committee's decision quoted (资助方案, R-COMMITTEE), as the entitlement keeps it. */
export function FundingPlan({ plan }: { plan: Record<string, unknown> }) {
  const { t } = useTranslation("subsidy");
  const items = Array.isArray(plan.items) ? (plan.items as PlanItem[]) : [];
  if (plan.to_be_quoted) return <span>{t("entitlement.toBeQuoted")}</span>;
  return (
    <Table<PlanItem>
      size="small"
      pagination={false}
      rowKey="code"
      dataSource={items}
      locale={{ emptyText: t("entitlement.noPlan") }}
      columns={[
        {
          title: t("fields.item"),
          dataIndex: "code",
          render: (code: string) => t(`enums.Item.${code}`, { defaultValue: code }),
        },
        { title: t("fields.article"), dataIndex: "article" },
        {
          title: t("fields.yearlyAmount"),
          dataIndex: "estimated_yearly_amount",
          align: "right",
          render: (value) => <Money value={value} />,
        },
      ]}
    />
  );
}
