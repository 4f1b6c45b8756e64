import { Alert, Button, Card, DatePicker, Form, List, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { ReconciliationRead } from "../../api/generated/types.gen";
import { BeijingTime } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useReconcile, useReconciliations } from "./hooks";

/** One day's disbursements reconciled with municipal finance's statement, every difference listed. */
export default function ReconciliationsPage() {
  const { t } = useTranslation("subsidy");
  const list = useReconciliations();
  const reconcile = useReconcile();
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { date: Dayjs }) {
    setError(null);
    try {
      await reconcile.mutateAsync({ body: { date: values.date.format("YYYY-MM-DD") }, key: key.current });
      key.current = newIdempotencyKey();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("reconciliations.title")}</Typography.Title>
      <Card size="small" title={t("reconciliations.run")}>
        <ProblemAlert error={error} style={{ marginBottom: 12 }} />
        <Form layout="inline" onFinish={submit}>
          <Form.Item
            name="date"
            label={t("fields.bookingDay")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <DatePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={reconcile.isPending}>
            {t("reconciliations.runButton")}
          </Button>
        </Form>
      </Card>
      <ProblemAlert error={list.error} />
      <List<ReconciliationRead>
        dataSource={list.items}
        loading={list.isLoading}
        locale={{ emptyText: t("reconciliations.none") }}
        renderItem={(item) => (
          <List.Item>
            <Space direction="vertical" style={{ width: "100%" }}>
              <strong>
                {item.day} — {t("reconciliations.counts", { ours: item.ours, theirs: item.theirs })}{" "}
                <BeijingTime value={item.ran_at} />
              </strong>
              {item.differences.length === 0 ? (
                <Alert type="success" message={t("reconciliations.noDifference")} />
              ) : (
                <Alert
                  type="warning"
                  message={t("reconciliations.differences", { count: item.differences.length })}
                  description={item.differences.map((d) => JSON.stringify(d)).join("\n")}
                />
              )}
            </Space>
          </List.Item>
        )}
      />
    </Space>
  );
}
