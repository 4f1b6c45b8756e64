import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ClaimRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag, Money } from "../../components/format";
import type { useClaims } from "./hooks";

/** Claims with their parties and where the payment of their funding year stands (ClaimPaymentRead). */
export function ClaimsTable({
  list,
  linkEntitlement = true,
}: {
  list: ReturnType<typeof useClaims>;
  linkEntitlement?: boolean;
}) {
  const { t } = useTranslation("subsidy");
  return (
    <CursorTable<ClaimRead>
      list={list}
      rowKey="id"
      locale={{ emptyText: t("claims.empty") }}
      columns={[
        {
          title: t("fields.expert"),
          dataIndex: "expert_name",
          render: (name: string, row) =>
            linkEntitlement ? <Link to={`/subsidy/entitlements/${row.entitlement_id}`}>{name}</Link> : name,
        },
        { title: t("fields.employer"), dataIndex: "employer_name" },
        { title: t("fields.fundingYear"), dataIndex: "funding_year" },
        { title: t("fields.periodEnd"), dataIndex: "period_end", render: (v) => <BeijingTime value={v} /> },
        { title: t("fields.total"), dataIndex: "total", align: "right", render: (v) => <Money value={v} /> },
        {
          title: t("fields.payment"),
          key: "payment",
          render: (_, row) => <EnumTag ns="subsidy" name="YearPayment" value={row.payment.status} />,
        },
        {
          title: t("fields.paid"),
          key: "paid",
          align: "right",
          render: (_, row) => <Money value={row.payment.paid} />,
        },
        { title: t("fields.assessedAt"), dataIndex: "assessed_at", render: (v) => <BeijingTime value={v} /> },
      ]}
    />
  );
}
