import { Button, Card, Checkbox, Form, Input, Radio } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { FormalChecklist, Outcome } from "../../api/generated/types.gen";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useFormalReview, usePreliminaryReview } from "./hooks";

const OUTCOMES: Outcome[] = ["pass", "return", "reject"];

/** R-FORMAL's completeness checklist, in the order of the measures' list of materials. */
export const CHECKLIST: (keyof FormalChecklist)[] = [
  "application_form",
  "passport_copy",
  "contract_terms",
  "peer_recommendation",
  "intent_record",
  "catalogue_entry",
];

function OutcomeAndReason() {
  const { t } = useTranslation("applications");
  return (
    <>
      <Form.Item name="outcome" label={t("review.outcome")} rules={[{ required: true, message: t("form.required") }]}>
        <Radio.Group
          optionType="button"
          options={OUTCOMES.map((value) => ({ value, label: t(`enums.Outcome.${value}`) }))}
        />
      </Form.Item>
      <Form.Item name="reason" label={t("review.reason")} rules={[{ required: true, message: t("form.required") }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </>
  );
}

/** The district bureau's or competent department's preliminary review (初审, R-APPLY): pass, return or reject. */
export function PreliminaryReviewForm({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation("applications");
  const [form] = Form.useForm();
  const review = usePreliminaryReview(applicationId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function decide(values: { outcome: Outcome; reason: string }) {
    try {
      await review.mutateAsync({ body: values, key: key.current });
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card title={t("review.preliminaryTitle")} size="small" style={{ marginBottom: 16 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={decide}>
        <OutcomeAndReason />
        <Button type="primary" htmlType="submit" loading={review.isPending}>
          {t("review.record")}
        </Button>
      </Form>
    </Card>
  );
}

/** The bureau's formal review (形式审查, R-FORMAL): a pass needs every item of the checklist ticked. */
export function FormalReviewForm({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation("applications");
  const [form] = Form.useForm();
  const review = useFormalReview(applicationId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function decide(values: { outcome: Outcome; reason: string; checked?: (keyof FormalChecklist)[] }) {
    const checklist = Object.fromEntries(
      CHECKLIST.map((item) => [item, (values.checked ?? []).includes(item)]),
    ) as unknown as FormalChecklist;
    try {
      await review.mutateAsync({
        body: { outcome: values.outcome, reason: values.reason, checklist },
        key: key.current,
      });
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card title={t("review.formalTitle")} size="small" style={{ marginBottom: 16 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={decide}>
        <Form.Item name="checked" label={t("review.checklist")}>
          <Checkbox.Group options={CHECKLIST.map((item) => ({ value: item, label: t(`checklist.${item}`) }))} />
        </Form.Item>
        <OutcomeAndReason />
        <Button type="primary" htmlType="submit" loading={review.isPending}>
          {t("review.record")}
        </Button>
      </Form>
    </Card>
  );
}
