import { Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { BreachState } from "../../api/generated/types.gen";
import { BreachesTable } from "./BreachesTable";
import { BREACH_STATES, useBreaches } from "./hooks";

/** Contract breaches by state (R-SUPERVISE): officers see all, an employer its own, an expert theirs. */
export default function BreachesPage() {
  const { t } = useTranslation("supervision");
  const [params, setParams] = useSearchParams();
  const chosen = params.get("state") as BreachState | null;
  const state = chosen && BREACH_STATES.includes(chosen) ? chosen : undefined;
  const list = useBreaches(state);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("breaches.title")}</Typography.Title>
      <Select<BreachState | "">
        aria-label={t("breaches.stateFilter")}
        style={{ width: 240 }}
        value={state ?? ""}
        onChange={(value) => setParams(value ? { state: value } : {})}
        options={[
          { value: "", label: t("breaches.allStates") },
          ...BREACH_STATES.map((value) => ({ value, label: t(`enums.BreachState.${value}`) })),
        ]}
      />
      <BreachesTable list={list} />
    </Space>
  );
}
