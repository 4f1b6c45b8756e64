import { Alert, Card, Descriptions, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { BeijingTime, EnumTag, Money } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { DecisionPanel } from "./DecisionPanel";
import { dossierOf } from "./dossier";
import { useCase, useCaseSheet, useMe, useSitting } from "./hooks";
import { MemberActs } from "./MemberActs";

/** A case at a sitting: its dossier; a member's conflict, score and vote; the officer's decision (R-COMMITTEE). */
export default function CaseAtSittingPage() {
  const { t } = useTranslation("committee");
  const { sittingId = "", applicationId = "" } = useParams();
  const officer = hasAnyRole(useSession(), OFFICER_ROLES);
  const committeeCase = useCase(applicationId);
  const sheet = useCaseSheet(sittingId, applicationId);
  const sitting = useSitting(sittingId);
  const me = useMe(!officer);
  const dossier = dossierOf(committeeCase.data);
  const present = (sitting.data?.members ?? []).filter((m) => m.present);
  const nameOf = (id: string) => sitting.data?.members.find((m) => m.member_id === id)?.name ?? id;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("case.title", { candidate: dossier.candidate })}</Typography.Title>
      <ProblemAlert error={committeeCase.error ?? sheet.error ?? sitting.error} />
      {committeeCase.data && (
        <Card size="small" title={t("case.dossier")}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t("fields.candidate")}>{dossier.candidate}</Descriptions.Item>
            <Descriptions.Item label={t("fields.nationality")}>{dossier.nationality}</Descriptions.Item>
            <Descriptions.Item label={t("fields.employer")}>{dossier.employer}</Descriptions.Item>
            <Descriptions.Item label={t("fields.position")}>{dossier.position}</Descriptions.Item>
            <Descriptions.Item label={t("fields.salary")}>
              <Money value={dossier.salary} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.track")}>
              {t(`enums.Track.${committeeCase.data.track}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.state")}>
              <EnumTag ns="committee" name="CaseState" value={committeeCase.data.state} />
            </Descriptions.Item>
            <Descriptions.Item label={t("fields.receivedAt")}>
              <BeijingTime value={committeeCase.data.received_at} />
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {sheet.data && (
        <Card size="small" title={t("case.progress")}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t("case.recused")}>
              {sheet.data.recused_member_ids.map(nameOf).join(", ") || "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("case.scored")}>
              {t("case.ofPresent", { done: sheet.data.scored_member_ids.length, present: present.length })}
            </Descriptions.Item>
            <Descriptions.Item label={t("case.voted")}>
              {t("case.ofPresent", { done: sheet.data.voted_member_ids.length, present: present.length })}
            </Descriptions.Item>
          </Descriptions>
          {officer &&
            sheet.data.conflicts.map((conflict) => (
              <Alert
                key={conflict.member_id}
                type="info"
                style={{ marginTop: 8 }}
                message={t("case.conflictOf", { name: nameOf(conflict.member_id), reason: conflict.reason })}
              />
            ))}
        </Card>
      )}
      {!officer && sheet.data && me.data && (
        <MemberActs sittingId={sittingId} applicationId={applicationId} sheet={sheet.data} memberId={me.data.id} />
      )}
      {!officer && me.data === null && <Alert type="warning" showIcon message={t("case.notOnRoster")} />}
      {officer && sheet.data && <DecisionPanel sittingId={sittingId} applicationId={applicationId} />}
    </Space>
  );
}
