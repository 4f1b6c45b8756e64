import { Card, Col, Row, Statistic, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { BeijingTime, EnumTag } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSlaReport } from "./hooks";

/** R-GREEN: the green channel's cases on time, late, open and overdue today (Beijing working days). */
export default function SlaReportPage() {
  const { t } = useTranslation("permits");
  const report = useSlaReport();
  const r = report.data;
  return (
    <div>
      <Typography.Title level={2}>{t("sla.title")}</Typography.Title>
      <ProblemAlert error={report.error} />
      {r && (
        <>
          <Typography.Paragraph>{t("sla.asOf", { date: r.as_of })}</Typography.Paragraph>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {(["on_time", "late", "open", "overdue"] as const).map((state) => (
              <Col key={state} span={6}>
                <Card size="small">
                  <Statistic title={t(`enums.SlaState.${state}`)} value={r[state]} />
                </Card>
              </Col>
            ))}
          </Row>
          <Table
            size="small"
            rowKey="case_id"
            pagination={false}
            dataSource={r.cases}
            columns={[
              { title: t("fields.openedAt"), dataIndex: "opened_at", render: (v) => <BeijingTime value={v} /> },
              { title: t("fields.dueBy"), dataIndex: "due_by" },
              { title: t("fields.issuedAt"), dataIndex: "documents_issued_on", render: (v) => v ?? "—" },
              { title: t("sla.taken"), dataIndex: "working_days_taken", render: (v) => v ?? "—" },
              {
                title: t("fields.sla"),
                dataIndex: "sla_state",
                render: (value) => <EnumTag ns="permits" name="SlaState" value={value} />,
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
