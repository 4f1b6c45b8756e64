import { Card, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useCountryShapes, useMapSummary } from "./hooks";
import { WorldMap } from "./WorldMap";

/** The map of experts (R-PLATFORM (1)): how many by nationality, drawn and listed; public. */
export default function MapPage() {
  const { t } = useTranslation("public");
  const summary = useMapSummary();
  const shapes = useCountryShapes();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("map.title")}</Typography.Title>
      <ProblemAlert error={summary.error ?? shapes.error} />
      <Typography.Paragraph>{t("map.total", { count: summary.data?.total ?? 0 })}</Typography.Paragraph>
      <Card size="small">
        {shapes.data && <WorldMap features={shapes.data.features} label={t("map.label")} legend={t("map.legend")} />}
      </Card>
      <Table
        size="small"
        pagination={false}
        rowKey="country"
        caption={t("map.byCountry")}
        dataSource={summary.data?.by_country ?? []}
        columns={[
          { title: t("map.country"), dataIndex: "name" },
          { title: t("map.region"), dataIndex: "region" },
          { title: t("map.experts"), dataIndex: "count" },
        ]}
      />
    </Space>
  );
}
