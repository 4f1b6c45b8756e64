import { Card, Descriptions, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../auth/AuthContext";
import { Money } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useMatchingPostings, useMyRecord } from "./hooks";

/** The expert's own record in the directory and the open postings ranked for them, with links to the rest. */
export default function ProfilePage() {
  const { t } = useTranslation("expert");
  const session = useSession();
  const record = useMyRecord(session?.subject);
  const postings = useMatchingPostings(session?.subject);
  const e = record.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("profile.title")}</Typography.Title>
      <ProblemAlert error={record.error} />
      {e && (
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t("fields.name")}>{e.name}</Descriptions.Item>
          <Descriptions.Item label={t("fields.nationality")}>{e.nationality}</Descriptions.Item>
          <Descriptions.Item label={t("fields.employer")}>{e.employer_name ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("fields.headline")}>{e.headline ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("fields.skills")}>{e.skills.join(", ")}</Descriptions.Item>
          <Descriptions.Item label={t("fields.languages")}>{e.languages.join(", ")}</Descriptions.Item>
        </Descriptions>
      )}
      <Card size="small" title={t("profile.links")}>
        <Space wrap>
          <Link to="/permits/mine">{t("profile.permits")}</Link>
          <Link to="/subsidy/mine">{t("profile.subsidy")}</Link>
          <Link to="/expert/courses">{t("profile.courses")}</Link>
          <Link to="/expert/consultations">{t("profile.consultations")}</Link>
          <Link to="/public/guide">{t("profile.guide")}</Link>
          <Link to="/public/jobs">{t("profile.jobs")}</Link>
        </Space>
      </Card>
      <Card size="small" title={t("profile.matching")}>
        <ProblemAlert error={postings.error} />
        <List
          dataSource={postings.data ?? []}
          locale={{ emptyText: t("profile.noMatches") }}
          renderItem={(match) => (
            <List.Item>
              <List.Item.Meta
                title={`${match.rank}. ${match.posting.title}`}
                description={
                  <>
                    {t("profile.score", { score: match.score })} · <Money value={match.posting.salary_min} /> –{" "}
                    <Money value={match.posting.salary_max} />
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
