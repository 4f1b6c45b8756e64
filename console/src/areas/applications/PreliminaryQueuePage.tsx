import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ApplicationsTable } from "./ApplicationsTable";

/** What was submitted to this district bureau or competent department (R-APPLY: 初审). */
export default function PreliminaryQueuePage() {
  const { t } = useTranslation("applications");
  return (
    <div>
      <Typography.Title level={2}>{t("queues.preliminary")}</Typography.Title>
      <ApplicationsTable fixedState="preliminary_review" />
    </div>
  );
}
