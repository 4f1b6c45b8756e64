import { Alert, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PermitsTable } from "./CasePage";
import { useExpertPermits } from "./hooks";

/** The expert's own permits and when each expires (R-PERMIT); the expiry reminder comes 30 days before. */
export default function MyPermitsPage() {
  const { t } = useTranslation("permits");
  const session = useSession();
  const permits = useExpertPermits(session?.subject);
  const today = new Date().toISOString().slice(0, 10);
  const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const expiring = (permits.data ?? []).filter(
    (p) => p.status === "issued" && p.valid_until >= today && p.valid_until <= soon,
  );
  return (
    <div>
      <Typography.Title level={2}>{t("mine.title")}</Typography.Title>
      <ProblemAlert error={permits.error} />
      {expiring.map((p) => (
        <Alert
          key={p.id}
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={t("mine.expiring", { kind: t(`enums.PermitKind.${p.kind}`), date: p.valid_until })}
        />
      ))}
      <PermitsTable rows={permits.data ?? []} />
    </div>
  );
}
