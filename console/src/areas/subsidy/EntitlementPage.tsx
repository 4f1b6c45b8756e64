import { Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { ClaimRequest, EntitlementRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { BeijingTime, EnumTag, Money } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ClaimsTable } from "./ClaimsTable";
import { DisbursementsTable } from "./DisbursementsTable";
import { FundingPlan } from "./FundingPlan";
import { useClaims, useDisbursements, useEntitlement, useIssueDisbursement, useSubmitClaim } from "./hooks";

/**
 * One entitlement opened by the committee's approval: its plan and amounts, its claims (the employer submits the
 * year's claim: R-SUB-*), and its disbursements with what municipal finance said of each (an officer instructs them).
 */
export default function EntitlementPage() {
  const { t } = useTranslation("subsidy");
  const { entitlementId = "" } = useParams();
  const entitlement = useEntitlement(entitlementId);
  const claims = useClaims({ entitlementId });
  const disbursements = useDisbursements({ entitlementId });
  const session = useSession();
  const officer = hasAnyRole(session, OFFICER_ROLES);
  const employer = hasAnyRole(session, ["employer"]);
  const e = entitlement.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("entitlement.title", { expert: e?.expert_name ?? "" })}</Typography.Title>
      <ProblemAlert error={entitlement.error} />
      {e && (
        <>
          <Descriptions size="small" column={3} bordered data-testid="entitlement">
            <Descriptions.Item label={t("fields.expert")}>{e.expert_name}</Descriptions.Item>
            <Descriptions.Item label={t("fields.employer")}>{e.employer_name}</Descriptions.Item>
            <Descriptions.Item label={t("fields.status")}>
              <EnumTag ns="subsidy" name="EntitlementStatus" value={e.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.track")}>{t(`enums.Track.${e.track}`)}</Descriptions.Item>
            <Descriptions.Item label={t("fields.contract")}>
              {e.contract_start} – {e.contract_end}
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.salary")}>
              <Money value={e.annual_salary} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.granted")}>
              <Money value={e.granted} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.disbursed")}>
              <Money value={e.disbursed} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.inPayment")}>
              <Money value={e.in_payment} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.toDisburse")}>
              <Money value={e.to_disburse} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.openedAt")}>
              <BeijingTime value={e.opened_at} />
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t("entitlement.plan")}>
            <FundingPlan plan={e.funding_plan} />
          </Card>
          <Card size="small" title={t("claims.title")}>
            {(employer || officer) && e.status === "open" && <SubmitClaimForm entitlement={e} />}
            <ClaimsTable list={claims} linkEntitlement={false} />
          </Card>
          <Card size="small" title={t("disbursements.title")}>
            {officer && e.status === "open" && <IssueDisbursementForm entitlement={e} />}
            <DisbursementsTable list={disbursements} />
          </Card>
        </>
      )}
    </Space>
  );
}

interface ClaimValues {
  period_end: Dayjs;
  evidence_reference: string;
  salary_paid?: string;
  medical_premium_paid?: string;
  thousand_talents_salary_subsidy?: boolean;
  salary_funded_by_municipal_finance?: boolean;
  contract_fulfilled?: boolean;
  remuneration?: string;
  days_in_beijing?: number;
  international_travel_cost?: string;
  living_cost?: string;
  agreed_salary?: string;
}

/** The year's claim, with the fields of the entitlement's track (R-SUB-SALARY, R-SUB-MEDICAL, Art. 12, Art. 13). */
function SubmitClaimForm({ entitlement }: { entitlement: EntitlementRead }) {
  const { t } = useTranslation("subsidy");
  const [form] = Form.useForm<ClaimValues>();
  const submit = useSubmitClaim(entitlement.id);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  const track = entitlement.track;
  async function send(values: ClaimValues) {
    setError(null);
    const common = {
      period_end: values.period_end.format("YYYY-MM-DD"),
      evidence_reference: values.evidence_reference,
    };
    const body: ClaimRequest =
      track === "haiju_long_term"
        ? {
            track,
            ...common,
            salary_paid: values.salary_paid ?? "",
            medical_premium_paid: values.medical_premium_paid ?? "",
            thousand_talents_salary_subsidy: !!values.thousand_talents_salary_subsidy,
            salary_funded_by_municipal_finance: !!values.salary_funded_by_municipal_finance,
            contract_fulfilled: !!values.contract_fulfilled,
          }
        : track === "key_industry_recurring"
          ? { track, ...common, remuneration: values.remuneration ?? "", days_in_beijing: values.days_in_beijing ?? 0 }
          : {
              track,
              ...common,
              days_in_beijing: values.days_in_beijing ?? 0,
              international_travel_cost: values.international_travel_cost ?? "",
              living_cost: values.living_cost ?? "",
              agreed_salary: values.agreed_salary ?? "",
              medical_premium_paid: values.medical_premium_paid ?? "",
            };
    try {
      await submit.mutateAsync({ body, key: key.current });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  const money = (name: keyof ClaimValues, label: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, message: t("form.required") }]}>
      <Input inputMode="decimal" style={{ width: 180 }} />
    </Form.Item>
  );
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t("claims.submit")}
      </Typography.Title>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={send}>
        <Space wrap align="start">
          <Form.Item
            name="period_end"
            label={t("fields.periodEnd")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="evidence_reference"
            label={t("fields.evidence")}
            rules={[{ required: true, message: t("form.required") }]}
          >
            <Input style={{ width: 220 }} />
          </Form.Item>
          {track === "haiju_long_term" && (
            <>
              {money("salary_paid", t("fields.salaryPaid"))}
              {money("medical_premium_paid", t("fields.medicalPremium"))}
            </>
          )}
          {track === "key_industry_recurring" && money("remuneration", t("fields.remuneration"))}
          {track === "short_term" && (
            <>
              {money("international_travel_cost", t("fields.travelCost"))}
              {money("living_cost", t("fields.livingCost"))}
              {money("agreed_salary", t("fields.agreedSalary"))}
              {money("medical_premium_paid", t("fields.medicalPremium"))}
            </>
          )}
          {track !== "haiju_long_term" && (
            <Form.Item
              name="days_in_beijing"
              label={t("fields.daysInBeijing")}
              rules={[{ required: true, message: t("form.required") }]}
            >
              <InputNumber min={0} max={366} />
            </Form.Item>
          )}
        </Space>
        {track === "haiju_long_term" && (
          <Space wrap>
            <Form.Item name="contract_fulfilled" valuePropName="checked">
              <Checkbox>{t("fields.contractFulfilled")}</Checkbox>
            </Form.Item>
            <Form.Item name="thousand_talents_salary_subsidy" valuePropName="checked">
              <Checkbox>{t("fields.thousandTalents")}</Checkbox>
            </Form.Item>
            <Form.Item name="salary_funded_by_municipal_finance" valuePropName="checked">
              <Checkbox>{t("fields.municipalFunded")}</Checkbox>
            </Form.Item>
          </Space>
        )}
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          {t("claims.submitButton")}
        </Button>
      </Form>
    </div>
  );
}

/** The officer instructs municipal finance to pay part of what is granted and not yet paid. */
function IssueDisbursementForm({ entitlement }: { entitlement: EntitlementRead }) {
  const { t } = useTranslation("subsidy");
  const [form] = Form.useForm<{ funding_year: number; amount: string }>();
  const issue = useIssueDisbursement(entitlement.id);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function send(values: { funding_year: number; amount: string }) {
    setError(null);
    try {
      await issue.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <div style={{ marginBottom: 16 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={send} initialValues={{ amount: entitlement.to_disburse }}>
        <Form.Item
          name="funding_year"
          label={t("fields.fundingYear")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <InputNumber min={2013} max={2100} />
        </Form.Item>
        <Form.Item name="amount" label={t("fields.amount")} rules={[{ required: true, message: t("form.required") }]}>
          <Input inputMode="decimal" style={{ width: 180 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={issue.isPending}>
          {t("disbursements.issue")}
        </Button>
      </Form>
    </div>
  );
}
