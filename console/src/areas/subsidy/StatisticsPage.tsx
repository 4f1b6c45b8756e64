import { Card, Space, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Money } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { type ChartOption, EChart } from "./EChart";
import { useStatistics } from "./hooks";
import { chartLength } from "./money";
import { type Amounts, byTrack, byYear, MEASURES } from "./statistics";

/** Granted, disbursed, paid, failed and recovered amounts by year and by track, as charts and as tables. */
export default function StatisticsPage() {
  const { t } = useTranslation("subsidy");
  const statistics = useStatistics({});
  const rows = statistics.data?.rows ?? [];
  const years = useMemo(() => byYear(rows), [rows]);
  const tracks = useMemo(() => byTrack(rows), [rows]);
  const bars = (groups: { key: string | number; amounts: Amounts }[], label: (key: string | number) => string) =>
    ({
      tooltip: { trigger: "axis" },
      legend: { data: MEASURES.map((m) => t(`statistics.${m}`)) },
      grid: { left: 80, right: 20, bottom: 30, top: 40 },
      xAxis: { type: "category", data: groups.map((g) => label(g.key)) },
      yAxis: { type: "value" },
      series: MEASURES.map((m) => ({
        type: "bar",
        name: t(`statistics.${m}`),
        data: groups.map((g) => chartLength(g.amounts[m])),
      })),
    }) as ChartOption;
  const table = (groups: { key: string | number; amounts: Amounts }[], label: (key: string | number) => string) => (
    <Table
      size="small"
      pagination={false}
      rowKey={(row) => String(row.key)}
      dataSource={groups}
      columns={[
        { title: t("statistics.group"), dataIndex: "key", render: (key) => label(key) },
        ...MEASURES.map((m) => ({
          title: t(`statistics.${m}`),
          key: m,
          align: "right" as const,
          render: (_: unknown, row: { amounts: Amounts }) => <Money value={row.amounts[m]} />,
        })),
      ]}
    />
  );
  const yearLabel = (key: string | number) => String(key);
  const trackLabel = (key: string | number) => t(`enums.Track.${key}`);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("statistics.title")}</Typography.Title>
      <ProblemAlert error={statistics.error} />
      <Card size="small" title={t("statistics.byYear")}>
        <EChart option={bars(years, yearLabel)} label={t("statistics.byYear")} />
        {table(years, yearLabel)}
      </Card>
      <Card size="small" title={t("statistics.byTrack")}>
        <EChart option={bars(tracks, trackLabel)} label={t("statistics.byTrack")} />
        {table(tracks, trackLabel)}
      </Card>
    </Space>
  );
}
