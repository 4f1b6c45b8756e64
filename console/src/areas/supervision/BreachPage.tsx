import { Alert, Button, Card, Descriptions, Form, Input, Space, Table, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { AppealRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { BeijingTime, EnumTag } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { type BreachAction, useAppealBreach, useBreach, useBreachAction } from "./hooks";

/**
 * A breach: its facts, attribution and course. An officer confirms it (a breach by the expert then revokes the
 * expert's benefits everywhere: R-SUPERVISE), dismisses it as unfounded, or withdraws a confirmed one; the expert or
 * employer concerned appeals a confirmed one.
 */
export default function BreachPage() {
  const { t } = useTranslation("supervision");
  const { breachId = "" } = useParams();
  const breach = useBreach(breachId);
  const session = useSession();
  const officer = hasAnyRole(session, OFFICER_ROLES);
  const concerned = hasAnyRole(session, ["employer", "expert"]);
  const b = breach.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("breach.title", { date: b?.breach_date ?? "" })}</Typography.Title>
      <ProblemAlert error={breach.error} />
      {b && (
        <>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t("fields.state")}>
              <EnumTag ns="supervision" name="BreachState" value={b.state} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.attributableTo")}>
              {t(`enums.BreachAttribution.${b.attributable_to}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.facts")} span={2}>
              {b.facts}
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.reportedBy")}>
              {b.reported_by} ({t(`roles.${b.reporter_role}`, { defaultValue: b.reporter_role })})
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.reportedAt")}>
              <BeijingTime value={b.reported_at} />
            </Descriptions.Item>
            {b.confirmed_at && (
              <Descriptions.Item label={t("fields.confirmedAt")}>
                <BeijingTime value={b.confirmed_at} /> ({b.confirmed_by})
              </Descriptions.Item>
            )}
            {b.closed_at && (
              <Descriptions.Item label={t("fields.closed")}>
                <BeijingTime value={b.closed_at} /> — {b.closing_reason}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t("fields.selection")}>
              <Link to={`/supervision/selections/${b.application_id}`}>{t("breaches.openSelection")}</Link>
            </Descriptions.Item>
          </Descriptions>
          {b.state === "confirmed" && b.attributable_to === "expert" && (
            <Alert type="warning" showIcon message={t("breach.revoked")} />
          )}
          {officer && (b.state === "reported" || b.state === "confirmed") && (
            <OfficerDecision breachId={breachId} reported={b.state === "reported"} />
          )}
          {concerned && b.state === "confirmed" && <AppealForm breachId={breachId} />}
          <Card size="small" title={t("appeals.title")}>
            <Table<AppealRead>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={b.appeals}
              locale={{ emptyText: t("appeals.empty") }}
              columns={[
                { title: t("fields.appellant"), dataIndex: "appellant" },
                { title: t("fields.grounds"), dataIndex: "grounds" },
                {
                  title: t("fields.state"),
                  dataIndex: "state",
                  render: (value) => <EnumTag ns="supervision" name="AppealState" value={value} />,
                },
                {
                  title: t("fields.lodgedAt"),
                  dataIndex: "lodged_at",
                  render: (value) => <BeijingTime value={value} />,
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

function OfficerDecision({ breachId, reported }: { breachId: string; reported: boolean }) {
  const { t } = useTranslation("supervision");
  const [form] = Form.useForm<{ reason?: string }>();
  const act = useBreachAction(breachId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function run(action: BreachAction) {
    setError(null);
    let reason: string | undefined;
    if (action !== "confirm") {
      try {
        reason = (await form.validateFields()).reason;
      } catch {
        return;
      }
    }
    try {
      await act.mutateAsync({ action, reason, key: key.current });
      key.current = newIdempotencyKey();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("breach.decide")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t("breach.reason")} rules={[{ required: true, message: t("form.required") }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
      <Space>
        {reported && (
          <>
            <Button type="primary" danger onClick={() => run("confirm")} loading={act.isPending}>
              {t("breach.confirm")}
            </Button>
            <Button onClick={() => run("dismiss")} loading={act.isPending}>
              {t("breach.dismiss")}
            </Button>
          </>
        )}
        {!reported && (
          <Button onClick={() => run("withdraw")} loading={act.isPending}>
            {t("breach.withdraw")}
          </Button>
        )}
      </Space>
    </Card>
  );
}

function AppealForm({ breachId }: { breachId: string }) {
  const { t } = useTranslation("supervision");
  const [form] = Form.useForm<{ grounds: string }>();
  const appeal = useAppealBreach(breachId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { grounds: string }) {
    setError(null);
    try {
      await appeal.mutateAsync({ grounds: values.grounds, key: key.current });
      form.resetFields();
      key.current = newIdempotencyKey();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("appeals.lodge")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="grounds" label={t("fields.grounds")} rules={[{ required: true, message: t("form.required") }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={appeal.isPending}>
          {t("appeals.lodgeButton")}
        </Button>
      </Form>
    </Card>
  );
}
