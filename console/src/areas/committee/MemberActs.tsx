import { Alert, Button, Card, Form, Input, InputNumber, Radio, Space } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { CaseSheetRead, ScoreSheet } from "../../api/generated/types.gen";
import { BeijingTime } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { CRITERIA, useDeclareConflict, useRecordScore, useRecordVote } from "./hooks";

interface Props {
  sittingId: string;
  applicationId: string;
  sheet: CaseSheetRead;
  memberId: string;
}

/**
 * What the signed-in member does on a case, in the order R-COMMITTEE sets: declare a conflict (then nothing
 * more: a recused member neither scores nor votes, and is told why), or score the R-ELIG criteria, then vote.
 */
export function MemberActs({ sittingId, applicationId, sheet, memberId }: Props) {
  const { t } = useTranslation("committee");
  const path = { sitting_id: sittingId, application_id: applicationId };
  if (sheet.recused_member_ids.includes(memberId)) {
    const own = sheet.conflicts.find((conflict) => conflict.member_id === memberId);
    return (
      <Alert
        type="info"
        showIcon
        data-testid="recused"
        message={t("acts.recusedTitle")}
        description={
          <>
            <p>{t("acts.recusedReason", { reason: own?.reason ?? "—" })}</p>
            <p>
              {t("acts.declaredAt")} <BeijingTime value={own?.declared_at} />
            </p>
            <p>{t("acts.recusedRule")}</p>
          </>
        }
      />
    );
  }
  if (sheet.state === "approved" || sheet.state === "declined") {
    return <Alert type="info" showIcon message={t("acts.decided")} />;
  }
  if (!sheet.scored_member_ids.includes(memberId)) {
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        <ScoreForm path={path} />
        <ConflictForm path={path} />
      </Space>
    );
  }
  if (!sheet.voted_member_ids.includes(memberId)) return <VoteForm path={path} />;
  return <Alert type="success" showIcon message={t("acts.done")} />;
}

type CasePath = { sitting_id: string; application_id: string };

function ScoreForm({ path }: { path: CasePath }) {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<ScoreSheet>();
  const score = useRecordScore(path);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: ScoreSheet) {
    setError(null);
    try {
      await score.mutateAsync({ body: values, key: key.current });
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("acts.scoreTitle")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        {CRITERIA.map((criterion) => (
          <Form.Item
            key={criterion}
            name={criterion}
            label={t(`criteria.${criterion}`)}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <InputNumber min={0} max={10} precision={0} />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={score.isPending}>
          {t("acts.recordScore")}
        </Button>
      </Form>
    </Card>
  );
}

function ConflictForm({ path }: { path: CasePath }) {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<{ reason: string }>();
  const declare = useDeclareConflict(path);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { reason: string }) {
    setError(null);
    try {
      await declare.mutateAsync({ reason: values.reason, key: key.current });
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("acts.conflictTitle")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t("acts.conflictReason")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button danger htmlType="submit" loading={declare.isPending}>
          {t("acts.declareConflict")}
        </Button>
      </Form>
    </Card>
  );
}

function VoteForm({ path }: { path: CasePath }) {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<{ approve: boolean }>();
  const vote = useRecordVote(path);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { approve: boolean }) {
    setError(null);
    try {
      await vote.mutateAsync({ approve: values.approve, key: key.current });
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <Card size="small" title={t("acts.voteTitle")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item name="approve" label={t("acts.vote")} rules={[{ required: true, message: t("form.required") }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t("acts.for") },
              { value: false, label: t("acts.against") },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={vote.isPending}>
          {t("acts.recordVote")}
        </Button>
      </Form>
    </Card>
  );
}
