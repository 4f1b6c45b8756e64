import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Space, Table, Tag } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { DecisionRead, FundingPlanItemRead } from "../../api/generated/types.gen";
import { BeijingTime, Money } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { CRITERIA, useDecide, useDecision, useQuoteAgain } from "./hooks";

/** The officer decides the case once every present, non-recused member voted; then the decision is shown. */
export function DecisionPanel({ sittingId, applicationId }: { sittingId: string; applicationId: string }) {
  const decision = useDecision(applicationId);
  if (decision.isLoading) return null;
  if (decision.data) return <DecisionView decision={decision.data} />;
  return <DecisionForm sittingId={sittingId} applicationId={applicationId} />;
}

interface DecisionValues {
  withException?: boolean;
  amount?: string;
  reason?: string;
}

function DecisionForm({ sittingId, applicationId }: { sittingId: string; applicationId: string }) {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<DecisionValues>();
  const decide = useDecide({ sitting_id: sittingId, application_id: applicationId });
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  const withException = Form.useWatch("withException", form);
  async function submit(values: DecisionValues) {
    setError(null);
    try {
      const cap_exception =
        values.withException && values.amount && values.reason
          ? { amount: values.amount, reason: values.reason }
          : null;
      await decide.mutateAsync({ body: { cap_exception }, key: key.current });
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("decision.formTitle")}>
      <p>{t("decision.explain")}</p>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="withException" valuePropName="checked">
          <Checkbox>{t("decision.capException")}</Checkbox>
        </Form.Item>
        {withException && (
          <Space align="start">
            <Form.Item name="amount" label={t("decision.capAmount")} rules={[{ required: true }]}>
              <Input inputMode="decimal" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="reason" label={t("decision.capReason")} rules={[{ required: true }]}>
              <Input style={{ width: 360 }} />
            </Form.Item>
          </Space>
        )}
        <Button type="primary" htmlType="submit" loading={decide.isPending}>
          {t("decision.record")}
        </Button>
      </Form>
    </Card>
  );
}

/** The decision with the funding plan subsidy quoted (R-COMMITTEE); a plan still to be quoted can be re-quoted. */
export function DecisionView({ decision }: { decision: DecisionRead }) {
  const { t } = useTranslation("committee");
  const quote = useQuoteAgain(decision.application_id);
  const key = useRef(newIdempotencyKey());
  const plan = decision.funding_plan;
  return (
    <Card size="small" title={t("decision.title")} data-testid="decision">
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t("decision.outcome")}>
          <Tag>{t(`enums.Outcome.${decision.outcome}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t("decision.votes")}>
          {t("decision.tally", {
            for: decision.votes_for,
            against: decision.votes_against,
            recused: decision.recused,
          })}
        </Descriptions.Item>
        {CRITERIA.map((criterion) => (
          <Descriptions.Item key={criterion} label={t(`criteria.${criterion}`)}>
            {decision.average_scores[criterion] ?? "—"}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t("decision.decidedAt")}>
          <BeijingTime value={decision.decided_at} />
        </Descriptions.Item>
        {decision.cap_exception && (
          <Descriptions.Item label={t("decision.capException")}>
            <Money value={decision.cap_exception.amount} /> — {decision.cap_exception.reason}
          </Descriptions.Item>
        )}
        {decision.wage_bill_note && (
          <Descriptions.Item label={t("decision.wageBill")}>{decision.wage_bill_note}</Descriptions.Item>
        )}
      </Descriptions>
      {decision.reasons.length > 0 && (
        <Alert type="info" style={{ margin: "8px 0" }} message={decision.reasons.join("; ")} />
      )}
      {plan && (
        <>
          {plan.to_be_quoted && (
            <Alert
              type="warning"
              showIcon
              style={{ margin: "8px 0" }}
              message={t("decision.toBeQuoted")}
              action={
                <Button onClick={() => quote.mutate(key.current)} loading={quote.isPending}>
                  {t("decision.quoteAgain")}
                </Button>
              }
            />
          )}
          <ProblemAlert error={quote.error} />
          <Table<FundingPlanItemRead>
            rowKey="code"
            size="small"
            pagination={false}
            caption={t("decision.plan")}
            dataSource={plan.items ?? []}
            columns={[
              {
                title: t("decision.item"),
                dataIndex: "code",
                render: (code: string) => t(`planItems.${code}`, { defaultValue: code }),
              },
              { title: t("decision.article"), dataIndex: "article" },
              {
                title: t("decision.yearly"),
                dataIndex: "estimated_yearly_amount",
                render: (value) => <Money value={value} />,
              },
            ]}
          />
          {plan.quoted_at && (
            <p>
              {t("decision.quotedAt")} <BeijingTime value={plan.quoted_at} /> ({plan.quoted_by})
            </p>
          )}
        </>
      )}
    </Card>
  );
}
