import { Alert, Button, Card, Descriptions, Space, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import type { TimelineEntry } from "../../api/generated/types.gen";
import { BeijingTime, EnumTag } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useExpert, useTimeline } from "./hooks";
import { summaryLine } from "./timeline";

const WARNING = new Set(["ContractBreached", "BenefitsRevoked", "PermitRevocationRequested", "DisbursementFailed"]);

/** One expert: the record, and every service's events about them in order (R-SUPERVISE: the revocation too). */
export default function ExpertPage() {
  const { t } = useTranslation("directory");
  const { expertId = "" } = useParams();
  const expert = useExpert(expertId);
  const timeline = useTimeline(expertId);
  const e = expert.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{e?.name ?? t("expert.title")}</Typography.Title>
      <ProblemAlert error={expert.error} />
      {e && (
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("fields.nationality")}>{e.nationality}</Descriptions.Item>
          <Descriptions.Item label={t("fields.status")}>
            <EnumTag ns="directory" name="ExpertStatus" value={e.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.employer")}>{e.employer_name ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("fields.field")}>
            {t(`fieldCodes.${e.field}`, { defaultValue: e.field })}
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.headline")}>{e.headline ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("fields.benefits")}>
            {e.benefits_revoked_since
              ? t("expert.revokedSince", { date: e.benefits_revoked_since })
              : t("experts.benefitsHeld")}
          </Descriptions.Item>
        </Descriptions>
      )}
      {e?.benefits_revoked_since && (
        <Alert type="warning" showIcon message={t("expert.revokedSince", { date: e.benefits_revoked_since })} />
      )}
      <Card size="small" title={t("expert.timeline")} data-testid="timeline">
        <ProblemAlert error={timeline.error} />
        <Timeline
          items={timeline.items.map((entry: TimelineEntry) => ({
            key: entry.event_id,
            color: WARNING.has(entry.type) ? "red" : "blue",
            children: (
              <div>
                <strong>{t(`eventTypes.${entry.type}`, { defaultValue: entry.type })}</strong>{" "}
                <Typography.Text type="secondary">
                  ({t(`services.${entry.service}`, { defaultValue: entry.service })}){" "}
                  <BeijingTime value={entry.occurred_at} />
                </Typography.Text>
                <div>{summaryLine(entry.summary)}</div>
              </div>
            ),
          }))}
        />
        {timeline.items.length === 0 && !timeline.isLoading && <p>{t("expert.noEvents")}</p>}
        {timeline.hasMore && (
          <Button onClick={() => timeline.loadMore()} loading={timeline.isLoadingMore}>
            {t("expert.more")}
          </Button>
        )}
      </Card>
    </Space>
  );
}
