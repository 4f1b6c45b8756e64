import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from "antd";
import type { Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { BreachAttribution, EvaluationRead, Grade } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, Money } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { BreachesTable } from "./BreachesTable";
import { useContract, useEvaluate, useEvaluations, useReportBreach, useSelection, useSelectionBreaches } from "./hooks";

const GRADES: Grade[] = ["excellent", "good", "qualified", "unqualified"];

/** One selected expert under supervision: the approved terms, the contract, the evaluations and the breaches. */
export default function SelectionPage() {
  const { t } = useTranslation("supervision");
  const { applicationId = "" } = useParams();
  const selection = useSelection(applicationId);
  const contract = useContract(applicationId);
  const evaluations = useEvaluations(applicationId);
  const breaches = useSelectionBreaches(applicationId);
  const session = useSession();
  const officer = hasAnyRole(session, OFFICER_ROLES);
  const reporter = officer || hasAnyRole(session, ["employer"]);
  const s = selection.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("selection.title", { expert: s?.expert_name ?? "" })}</Typography.Title>
      <ProblemAlert error={selection.error} />
      {s && (
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("fields.expert")}>{s.expert_name}</Descriptions.Item>
          <Descriptions.Item label={t("fields.employer")}>{s.employer_name}</Descriptions.Item>
          <Descriptions.Item label={t("fields.track")}>{t(`enums.Track.${s.track}`)}</Descriptions.Item>
          <Descriptions.Item label={t("fields.term")}>
            {s.approved_start} – {s.approved_end}
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.salary")}>
            <Money value={s.approved_annual_salary} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.decidedAt")}>
            <BeijingTime value={s.decided_at} />
          </Descriptions.Item>
        </Descriptions>
      )}
      <Card size="small" title={t("contract.title")}>
        <ProblemAlert error={contract.error} />
        {contract.data ? (
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t("fields.term")}>
              {contract.data.start} – {contract.data.end}
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.salary")}>
              <Money value={contract.data.annual_salary} />
            </Descriptions.Item>
            <Descriptions.Item label={t("contract.signedOn")}>{contract.data.signed_on}</Descriptions.Item>
            <Descriptions.Item label={t("contract.differs")}>
              {contract.data.differs_from_plan ? t("contract.yes") : t("contract.no")}
            </Descriptions.Item>
          </Descriptions>
        ) : (
          contract.data === null && <p>{t("contract.none")}</p>
        )}
      </Card>
      <Card size="small" title={t("evaluations.title")}>
        {officer && <EvaluateForm applicationId={applicationId} />}
        <CursorTable<EvaluationRead>
          list={evaluations}
          rowKey="id"
          locale={{ emptyText: t("evaluations.empty") }}
          columns={[
            { title: t("fields.fundingYear"), dataIndex: "funding_year" },
            { title: t("fields.grade"), dataIndex: "grade", render: (value) => t(`enums.Grade.${value}`) },
            { title: t("fields.comments"), dataIndex: "comments" },
            {
              title: t("fields.evaluatedAt"),
              dataIndex: "evaluated_at",
              render: (value) => <BeijingTime value={value} />,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("breaches.ofSelection")}>
        {reporter && <ReportBreachForm applicationId={applicationId} />}
        <BreachesTable list={breaches} />
      </Card>
    </Space>
  );
}

function EvaluateForm({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation("supervision");
  const [form] = Form.useForm<{ funding_year: number; grade: Grade; comments: string }>();
  const evaluate = useEvaluate(applicationId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: { funding_year: number; grade: Grade; comments: string }) {
    setError(null);
    try {
      await evaluate.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <div style={{ marginBottom: 12 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="funding_year"
          label={t("fields.fundingYear")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <InputNumber min={2013} max={2100} />
        </Form.Item>
        <Form.Item name="grade" label={t("fields.grade")} rules={[{ required: true, message: t("form.required") }]}>
          <Select style={{ width: 160 }} options={GRADES.map((g) => ({ value: g, label: t(`enums.Grade.${g}`) }))} />
        </Form.Item>
        <Form.Item
          name="comments"
          label={t("fields.comments")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Input style={{ width: 280 }} />
        </Form.Item>
        <Button htmlType="submit" loading={evaluate.isPending}>
          {t("evaluations.record")}
        </Button>
      </Form>
    </div>
  );
}

interface ReportValues {
  breach_date: Dayjs;
  attributable_to: BreachAttribution;
  facts: string;
}

function ReportBreachForm({ applicationId }: { applicationId: string }) {
  const { t } = useTranslation("supervision");
  const [form] = Form.useForm<ReportValues>();
  const report = useReportBreach(applicationId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: ReportValues) {
    setError(null);
    try {
      await report.mutateAsync({
        body: { ...values, breach_date: values.breach_date.format("YYYY-MM-DD") },
        key: key.current,
      });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <div style={{ marginBottom: 12 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Space align="start" wrap>
          <Form.Item
            name="breach_date"
            label={t("fields.breachDate")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="attributable_to"
            label={t("fields.attributableTo")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Radio.Group
              optionType="button"
              options={(["expert", "employer"] as const).map((value) => ({
                value,
                label: t(`enums.BreachAttribution.${value}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="facts" label={t("fields.facts")} rules={[{ required: true, message: t("form.required") }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button danger htmlType="submit" loading={report.isPending}>
          {t("breaches.report")}
        </Button>
      </Form>
    </div>
  );
}
