import { Card, Collapse, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { BeijingTime } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useGuide, useNotices } from "./hooks";

/** The working-and-living guide (R-SETTLE) and the policy notices (R-PLATFORM (2)), public. */
export default function GuidePage() {
  const { t, i18n } = useTranslation("public");
  const guide = useGuide();
  const notices = useNotices();
  const language = i18n.language.startsWith("zh") ? "zh" : "en";
  const sections = (guide.data ?? []).filter((s) => s.language.startsWith(language));
  const shown = sections.length ? sections : (guide.data ?? []);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("guide.title")}</Typography.Title>
      <ProblemAlert error={guide.error ?? notices.error} />
      <Card size="small" title={t("guide.sections")}>
        {shown.length === 0 ? (
          <p>{t("guide.empty")}</p>
        ) : (
          <Collapse
            items={shown.map((section) => ({ key: section.id, label: section.title, children: <p>{section.body}</p> }))}
          />
        )}
      </Card>
      <Card size="small" title={t("notices.title")}>
        <List
          dataSource={notices.items}
          locale={{ emptyText: t("notices.empty") }}
          renderItem={(notice) => (
            <List.Item>
              <List.Item.Meta
                title={notice.title}
                description={
                  <>
                    <BeijingTime value={notice.published_at} /> · {notice.category}
                    <div>{notice.body}</div>
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
