import { Alert, Button, Space } from "antd";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/problem";

/**
 * A 412 or 409 on a change: someone else changed the record first. The form keeps what the user typed; this
 * offers to load the newer version (shown beside the user's input) and apply the change again on it.
 */
export function ConflictAlert({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  if (!isApiError(error) || !error.isConflict) return null;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      message={t("conflict.title")}
      description={
        <Space direction="vertical">
          <span>{error.problem.detail ?? t("conflict.detail")}</span>
          <span>{t("conflict.kept")}</span>
          <Button onClick={onReload}>{t("conflict.reload")}</Button>
        </Space>
      }
    />
  );
}
