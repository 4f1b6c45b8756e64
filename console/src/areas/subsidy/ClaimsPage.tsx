import { InputNumber, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ClaimsTable } from "./ClaimsTable";
import { useClaims } from "./hooks";

/** Assessed claims, oldest first, by funding year (in the URL); scoped by the API to the caller. */
export default function ClaimsPage() {
  const { t } = useTranslation("subsidy");
  const [params, setParams] = useSearchParams();
  const year = Number(params.get("year")) || undefined;
  const list = useClaims({ fundingYear: year });
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("claims.title")}</Typography.Title>
      <InputNumber
        aria-label={t("fields.fundingYear")}
        placeholder={t("fields.fundingYear")}
        min={2013}
        max={2100}
        value={year}
        onChange={(value) => setParams(value ? { year: String(value) } : {})}
      />
      <ClaimsTable list={list} />
    </Space>
  );
}
