import { Alert } from "antd";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api/problem";

/** A refused call as the user should read it: the problem's title and detail, the field it names, its request id. */
export function ProblemAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!isApiError(error)) {
    return <Alert type="error" showIcon message={t("errors.unexpected")} description={String(error)} style={style} />;
  }
  const { problem, status } = error;
  const fields = Object.entries(error.fieldErrors());
  return (
    <Alert
      type={status >= 500 ? "error" : "warning"}
      showIcon
      style={style}
      role="alert"
      message={problem.title ?? t("errors.status", { status })}
      description={
        <div>
          {problem.detail && <div>{problem.detail}</div>}
          {fields.length > 0 && (
            <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
              {fields.map(([field, messages]) => (
                <li key={field}>
                  <code>{field}</code>: {messages.join("; ")}
                </li>
              ))}
            </ul>
          )}
          {problem.request_id && (
            <div style={{ opacity: 0.7, fontSize: 12 }}>{t("errors.requestId", { id: problem.request_id })}</div>
          )}
        </div>
      }
    />
  );
}
