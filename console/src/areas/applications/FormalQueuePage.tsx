import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ApplicationsTable } from "./ApplicationsTable";

/** What passed preliminary review and waits for the bureau's formal review (R-FORMAL: 形式审查). */
export default function FormalQueuePage() {
  const { t } = useTranslation("applications");
  return (
    <div>
      <Typography.Title level={2}>{t("queues.formal")}</Typography.Title>
      <ApplicationsTable fixedState="formal_review" />
    </div>
  );
}
