import { Button, Card, Form, Input, Space } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { RecommendationCreate } from "../../api/generated/types.gen";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useAddRecommendation } from "./hooks";

/** A peer expert's recommendation (同行业专家推荐, R-APPLY). */
export function AddRecommendationForm({ applicationId, onDone }: { applicationId: string; onDone: () => void }) {
  const { t } = useTranslation("applications");
  const [form] = Form.useForm<RecommendationCreate>();
  const add = useAddRecommendation(applicationId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function save(values: RecommendationCreate) {
    try {
      await add.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      form.resetFields();
      onDone();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  const fields = [
    ["recommender_name", "recommender"],
    ["title", "recommenderTitle"],
    ["institution", "institution"],
    ["relation", "relation"],
  ] as const;
  return (
    <Card title={t("detail.addRecommendation")} size="small" style={{ marginBottom: 16 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={save}>
        {fields.map(([name, label]) => (
          <Form.Item
            key={name}
            name={name}
            label={t(`fields.${label}`)}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Input />
          </Form.Item>
        ))}
        <Form.Item
          name="statement"
          label={t("fields.statement")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t("detail.saveRecommendation")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
