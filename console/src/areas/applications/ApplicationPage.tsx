import { Alert, Button, Card, Descriptions, Space, Spin, Table, Timeline, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import type { ApplicationRead, HistoryEntryRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { BeijingTime, EnumTag, Money } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { AddRecommendationForm } from "./AddRecommendationForm";
import { useApplication, useHistory, useSubmitApplication } from "./hooks";
import { FormalReviewForm, PreliminaryReviewForm } from "./ReviewForms";

const EDITABLE = new Set(["draft", "returned"]);

interface FundingPlanItem {
  code: string;
  article: string;
  estimated_yearly_amount?: string | null;
}

/** The reason of the return the employer is answering (the latest step into `returned`). */
export function lastReturn(history: HistoryEntryRead[] | undefined): HistoryEntryRead | undefined {
  return [...(history ?? [])].reverse().find((entry) => entry.to_state === "returned");
}

function SubmitApplicationButton({ id }: { id: string }) {
  const { t } = useTranslation("applications");
  const submit = useSubmitApplication(id);
  return (
    <Space direction="vertical">
      <Button type="primary" onClick={() => submit.mutate()} loading={submit.isPending}>
        {t("detail.submit")}
      </Button>
      <ProblemAlert error={submit.error} />
    </Space>
  );
}

function Outcome({ application }: { application: ApplicationRead }) {
  const { t } = useTranslation("applications");
  const decision = application.decision as
    | { outcome?: string; decided_at?: string; funding_plan?: { items?: FundingPlanItem[] }; reasons?: string[] }
    | null
    | undefined;
  if (!decision) return null;
  const items = decision.funding_plan?.items ?? [];
  return (
    <Card title={t("detail.outcome")} size="small" style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={t("fields.state")}>
          <EnumTag ns="applications" name="State" value={application.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t("detail.decidedAt")}>
          <BeijingTime value={decision.decided_at} />
        </Descriptions.Item>
      </Descriptions>
      {items.length > 0 && (
        <Table<FundingPlanItem>
          size="small"
          rowKey="code"
          pagination={false}
          caption={t("detail.fundingPlan")}
          dataSource={items}
          columns={[
            { title: t("detail.planItem"), dataIndex: "article" },
            { title: t("detail.planCode"), dataIndex: "code" },
            {
              title: t("detail.planAmount"),
              dataIndex: "estimated_yearly_amount",
              render: (value) => <Money value={value} />,
            },
          ]}
        />
      )}
    </Card>
  );
}

export default function ApplicationPage() {
  const { t } = useTranslation("applications");
  const { applicationId = "" } = useParams();
  const navigate = useNavigate();
  const session = useSession();
  const query = useApplication(applicationId);
  const history = useHistory(applicationId);
  const [showRecommendation, setShowRecommendation] = useState(false);
  if (query.isLoading) return <Spin />;
  if (!query.data) return <ProblemAlert error={query.error} />;
  const { application } = query.data;
  const roles = session?.roles ?? [];
  const isEmployer = roles.includes("employer");
  const editable = isEmployer && EDITABLE.has(application.state);
  const returned = application.state === "returned" ? lastReturn(history.data) : undefined;
  return (
    <div>
      <Typography.Title level={2}>
        {t("detail.title", { name: application.candidate.name })}{" "}
        <EnumTag ns="applications" name="State" value={application.state} />
      </Typography.Title>
      {returned && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          message={t("detail.returned")}
          description={returned.reason}
        />
      )}
      {editable && (
        <Space style={{ marginBottom: 16 }} align="start">
          <Button onClick={() => navigate(`/applications/${application.id}/edit`)}>{t("detail.edit")}</Button>
          <Button onClick={() => setShowRecommendation((shown) => !shown)}>{t("detail.addRecommendation")}</Button>
          <SubmitApplicationButton id={application.id} />
        </Space>
      )}
      {showRecommendation && editable && (
        <AddRecommendationForm applicationId={application.id} onDone={() => setShowRecommendation(false)} />
      )}
      {roles.includes("preliminary_reviewer") && application.state === "preliminary_review" && (
        <PreliminaryReviewForm applicationId={application.id} />
      )}
      {(roles.includes("bureau_officer") || roles.includes("admin")) && application.state === "formal_review" && (
        <FormalReviewForm applicationId={application.id} />
      )}
      <Outcome application={application} />
      <Card title={t("form.sections.position")} size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("fields.position")}>{application.position}</Descriptions.Item>
          <Descriptions.Item label={t("fields.track")}>{t(`enums.Track.${application.track}`)}</Descriptions.Item>
          <Descriptions.Item label={t("fields.intentDate")}>{application.intent_date}</Descriptions.Item>
          <Descriptions.Item label={t("fields.reviewer")}>{application.preliminary_reviewer ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("fields.candidateName")}>{application.candidate.name}</Descriptions.Item>
          <Descriptions.Item label={t("fields.nationality")}>{application.candidate.nationality}</Descriptions.Item>
          <Descriptions.Item label={t("fields.passport")}>{application.candidate.passport_number}</Descriptions.Item>
          <Descriptions.Item label={t("fields.field")}>{application.candidate.field}</Descriptions.Item>
          <Descriptions.Item label={t("fields.contractStart")}>{application.contract.start}</Descriptions.Item>
          <Descriptions.Item label={t("fields.contractEnd")}>{application.contract.end}</Descriptions.Item>
          <Descriptions.Item label={t("fields.salary")}>
            <Money value={application.contract.annual_salary} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("detail.recommendations")} size="small" style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={application.recommendations}
          locale={{ emptyText: t("detail.noRecommendations") }}
          columns={[
            { title: t("fields.recommender"), dataIndex: "recommender_name" },
            { title: t("fields.recommenderTitle"), dataIndex: "title" },
            { title: t("fields.institution"), dataIndex: "institution" },
          ]}
        />
      </Card>
      <Card title={t("detail.history")} size="small">
        <ProblemAlert error={history.error} />
        <Timeline
          items={(history.data ?? []).map((entry) => ({
            key: `${entry.at}-${entry.action}`,
            children: (
              <div>
                <BeijingTime value={entry.at} /> · <EnumTag ns="applications" name="State" value={entry.to_state} />{" "}
                {t(`roles.${entry.role}`, { defaultValue: entry.role })}
                {entry.reason && <div>{entry.reason}</div>}
              </div>
            ),
          }))}
        />
      </Card>
    </div>
  );
}
