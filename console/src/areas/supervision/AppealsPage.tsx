import { Button, Input, Select, Space, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { AppealRead, AppealState } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { ProblemAlert } from "../../components/ProblemAlert";
import { APPEAL_STATES, useAppeals, useDismissAppeal } from "./hooks";

/** Appeals against confirmed breaches (R-SUPERVISE), oldest first; an officer dismisses one with a reason. */
export default function AppealsPage() {
  const { t } = useTranslation("supervision");
  const [params, setParams] = useSearchParams();
  const chosen = params.get("state") as AppealState | null;
  const state = chosen && APPEAL_STATES.includes(chosen) ? chosen : undefined;
  const list = useAppeals(state);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("appeals.title")}</Typography.Title>
      <Select<AppealState | "">
        aria-label={t("appeals.stateFilter")}
        style={{ width: 240 }}
        value={state ?? ""}
        onChange={(value) => setParams(value ? { state: value } : {})}
        options={[
          { value: "", label: t("appeals.allStates") },
          ...APPEAL_STATES.map((value) => ({ value, label: t(`enums.AppealState.${value}`) })),
        ]}
      />
      <CursorTable<AppealRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("appeals.empty") }}
        columns={[
          {
            title: t("fields.breach"),
            dataIndex: "breach_id",
            render: (id: string) => <Link to={`/supervision/breaches/${id}`}>{t("appeals.openBreach")}</Link>,
          },
          { title: t("fields.appellant"), dataIndex: "appellant" },
          { title: t("fields.grounds"), dataIndex: "grounds" },
          {
            title: t("fields.state"),
            dataIndex: "state",
            render: (value) => <EnumTag ns="supervision" name="AppealState" value={value} />,
          },
          { title: t("fields.lodgedAt"), dataIndex: "lodged_at", render: (value) => <BeijingTime value={value} /> },
          {
            title: t("appeals.decide"),
            key: "decide",
            render: (_, row) => (row.state === "open" ? <DismissAppeal appealId={row.id} /> : row.decision_reason),
          },
        ]}
      />
    </Space>
  );
}

function DismissAppeal({ appealId }: { appealId: string }) {
  const { t } = useTranslation("supervision");
  const [reason, setReason] = useState("");
  const dismiss = useDismissAppeal(appealId);
  const key = useRef(newIdempotencyKey());
  return (
    <Space direction="vertical">
      <ProblemAlert error={dismiss.error} />
      <Space>
        <Input
          aria-label={t("appeals.dismissReason")}
          placeholder={t("appeals.dismissReason")}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <Button
          disabled={!reason.trim()}
          onClick={() => dismiss.mutate({ reason, key: key.current })}
          loading={dismiss.isPending}
        >
          {t("appeals.dismiss")}
        </Button>
      </Space>
    </Space>
  );
}
