import { Card, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { BalanceRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { Money } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EntitlementsTable } from "./EntitlementsPage";
import { useEntitlements, useLedger } from "./hooks";

/** The expert's own subsidy: the entitlements opened for them and their balances per funding year and track. */
export default function MySubsidyPage() {
  const { t } = useTranslation("subsidy");
  const session = useSession();
  const expertId = session?.subject;
  const entitlements = useEntitlements({});
  const ledger = useLedger(expertId);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("mine.title")}</Typography.Title>
      <Card size="small" title={t("entitlements.title")}>
        <EntitlementsTable list={entitlements} />
      </Card>
      <Card size="small" title={t("mine.balances")}>
        <ProblemAlert error={ledger.error} />
        <Table<BalanceRead>
          size="small"
          pagination={false}
          rowKey={(row) => `${row.funding_year}-${row.track}`}
          dataSource={ledger.data?.balances ?? []}
          locale={{ emptyText: t("mine.none") }}
          columns={[
            { title: t("fields.fundingYear"), dataIndex: "funding_year" },
            { title: t("fields.track"), dataIndex: "track", render: (value) => t(`enums.Track.${value}`) },
            { title: t("fields.granted"), dataIndex: "granted", align: "right", render: (v) => <Money value={v} /> },
            {
              title: t("fields.disbursed"),
              dataIndex: "disbursed",
              align: "right",
              render: (v) => <Money value={v} />,
            },
            {
              title: t("fields.recovered"),
              dataIndex: "recovered",
              align: "right",
              render: (v) => <Money value={v} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
