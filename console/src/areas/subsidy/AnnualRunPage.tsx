import { Button, Card, Descriptions, Form, InputNumber, List, Progress, Space, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { AnnualRunRead } from "../../api/generated/types.gen";
import { BeijingTime, Money } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { runProgress } from "./annualRun";
import { useAnnualRun, useAnnualRuns, useStartAnnualRun } from "./hooks";

/**
 * The annual run of a funding year: every open entitlement with a claim for the year assessed and its disbursement
 * issued, in batches; its progress read live until finance has answered for every disbursement.
 */
export default function AnnualRunPage() {
  const { t } = useTranslation("subsidy");
  const runs = useAnnualRuns();
  const [started, setStarted] = useState<string | undefined>();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("annualRun.title")}</Typography.Title>
      <StartRunForm onStarted={setStarted} />
      {started && <RunCard runId={started} />}
      <ProblemAlert error={runs.error} />
      <List<AnnualRunRead>
        dataSource={runs.items.filter((run) => run.id !== started)}
        loading={runs.isLoading}
        locale={{ emptyText: t("annualRun.none") }}
        renderItem={(run) => (
          <List.Item>
            <RunCard runId={run.id} initial={run} />
          </List.Item>
        )}
      />
    </Space>
  );
}

function StartRunForm({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation("subsidy");
  const [form] = Form.useForm<{ funding_year: number }>();
  const start = useStartAnnualRun();
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { funding_year: number }) {
    setError(null);
    try {
      const run = await start.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      onStarted(run.id);
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("annualRun.start")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="funding_year"
          label={t("fields.fundingYear")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <InputNumber min={2013} max={2100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={start.isPending}>
          {t("annualRun.startButton")}
        </Button>
      </Form>
    </Card>
  );
}

/** A run with two progress bars (assessed; final at finance), polled every second until complete. */
function RunCard({ runId, initial }: { runId: string; initial?: AnnualRunRead }) {
  const { t } = useTranslation("subsidy");
  const live = useAnnualRun(initial?.complete ? undefined : runId);
  const run = live.data ?? initial;
  if (!run) return null;
  const progress = runProgress(run);
  return (
    <Card
      size="small"
      style={{ width: "100%" }}
      title={t("annualRun.of", { year: run.funding_year })}
      data-testid={`annual-run-${run.funding_year}`}
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t("fields.status")}>
          {t(`enums.RunStatus.${run.status}`, run.status)}
        </Descriptions.Item>
        <Descriptions.Item label={t("annualRun.assessed")}>
          {run.entitlements_assessed} / {run.entitlements_total}
        </Descriptions.Item>
        <Descriptions.Item label={t("annualRun.issued")}>
          {run.disbursements_issued} (<Money value={run.amount_issued} />)
        </Descriptions.Item>
        <Descriptions.Item label={t("annualRun.settled")}>{progress.settled}</Descriptions.Item>
        <Descriptions.Item label={t("annualRun.failed")}>{progress.failed}</Descriptions.Item>
        <Descriptions.Item label={t("annualRun.startedAt")}>
          <BeijingTime value={run.started_at} />
        </Descriptions.Item>
      </Descriptions>
      <div>{t("annualRun.assessedBar")}</div>
      <Progress percent={progress.assessed} aria-label={t("annualRun.assessedBar")} />
      <div>{t("annualRun.finishedBar")}</div>
      <Progress
        percent={progress.finished}
        status={run.complete ? (progress.failed ? "exception" : "success") : "active"}
        aria-label={t("annualRun.finishedBar")}
      />
      {run.complete && <Typography.Text>{t("annualRun.complete")}</Typography.Text>}
    </Card>
  );
}
