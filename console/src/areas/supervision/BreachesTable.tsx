import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { BreachRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";

type List = Parameters<typeof CursorTable<BreachRead>>[0]["list"];

/** Breaches in a table: when, to whom attributable, the facts, where each stands. */
export function BreachesTable({ list }: { list: List }) {
  const { t } = useTranslation("supervision");
  return (
    <CursorTable<BreachRead>
      list={list}
      rowKey="id"
      locale={{ emptyText: t("breaches.empty") }}
      columns={[
        {
          title: t("fields.breachDate"),
          dataIndex: "breach_date",
          render: (value: string, row) => <Link to={`/supervision/breaches/${row.id}`}>{value}</Link>,
        },
        {
          title: t("fields.attributableTo"),
          dataIndex: "attributable_to",
          render: (value) => t(`enums.BreachAttribution.${value}`),
        },
        { title: t("fields.facts"), dataIndex: "facts", ellipsis: true },
        {
          title: t("fields.state"),
          dataIndex: "state",
          render: (value) => <EnumTag ns="supervision" name="BreachState" value={value} />,
        },
        {
          title: t("fields.selection"),
          dataIndex: "application_id",
          render: (id: string) => <Link to={`/supervision/selections/${id}`}>{t("breaches.openSelection")}</Link>,
        },
        { title: t("fields.reportedAt"), dataIndex: "reported_at", render: (value) => <BeijingTime value={value} /> },
      ]}
    />
  );
}
