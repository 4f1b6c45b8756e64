import { Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { DisbursementsTable } from "./DisbursementsTable";
import { pick } from "./EntitlementsPage";
import { DISBURSEMENT_STATUSES, type DisbursementStatus, useDisbursements } from "./hooks";

/** Disbursements with their status at municipal finance, by status (in the URL). */
export default function DisbursementsPage() {
  const { t } = useTranslation("subsidy");
  const [params, setParams] = useSearchParams();
  const status = pick(params.get("status"), DISBURSEMENT_STATUSES);
  const list = useDisbursements({ status });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("disbursements.title")}</Typography.Title>
      <Select<DisbursementStatus | "">
        aria-label={t("disbursements.statusFilter")}
        style={{ width: 220 }}
        value={status ?? ""}
        onChange={(value) => setParams(value ? { status: value } : {})}
        options={[
          { value: "", label: t("disbursements.allStatuses") },
          ...DISBURSEMENT_STATUSES.map((value) => ({ value, label: t(`enums.DisbursementStatus.${value}`) })),
        ]}
      />
      <DisbursementsTable list={list} />
    </Space>
  );
}
