import { Alert, Button, Card, Form, Input, Select, Space, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { WebhookSubscriptionCreate, WebhookSubscriptionRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { EVENT_TYPES, useCreateSubscription, useSubscriptions } from "./hooks";

/** Partner agencies' endpoints and the events each receives; a new one's signing secret is shown once. */
export default function SubscriptionsPage() {
  const { t } = useTranslation("webhooks");
  const list = useSubscriptions();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("subscriptions.title")}</Typography.Title>
      <SubscribeForm />
      <CursorTable<WebhookSubscriptionRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("subscriptions.empty") }}
        columns={[
          { title: t("fields.url"), dataIndex: "url" },
          { title: t("fields.events"), dataIndex: "event_types", render: (types: string[]) => types.join(", ") },
          {
            title: t("fields.enabled"),
            dataIndex: "enabled",
            render: (on: boolean, row) =>
              on ? t("subscriptions.on") : `${t("subscriptions.off")} ${row.disabled_reason ?? ""}`,
          },
          { title: t("fields.description"), dataIndex: "description", render: (v) => v ?? "—" },
          { title: t("fields.createdAt"), dataIndex: "created_at", render: (v) => <BeijingTime value={v} /> },
        ]}
      />
    </Space>
  );
}

function SubscribeForm() {
  const { t } = useTranslation("webhooks");
  const [form] = Form.useForm<WebhookSubscriptionCreate>();
  const create = useCreateSubscription();
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  async function submit(values: WebhookSubscriptionCreate) {
    setError(null);
    try {
      const created = await create.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      setSecret(created.secret);
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("subscriptions.create")}>
      {secret && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message={t("subscriptions.secretOnce")}
          description={<code data-testid="secret">{secret}</code>}
        />
      )}
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="url" label={t("fields.url")} rules={[{ required: true, message: t("form.required") }]}>
          <Input placeholder="https://partner.example.gov.cn/webhooks" />
        </Form.Item>
        <Form.Item
          name="event_types"
          label={t("fields.events")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Select mode="multiple" options={EVENT_TYPES.map((type) => ({ value: type, label: type }))} />
        </Form.Item>
        <Form.Item name="description" label={t("fields.description")}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t("subscriptions.subscribe")}
        </Button>
      </Form>
    </Card>
  );
}
