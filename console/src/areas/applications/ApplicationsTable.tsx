import { Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { ApplicationSummary, State } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { STATES, useApplications } from "./hooks";

/** Applications by state; the state filter lives in the URL (`?state=`), so a list can be shared and reloaded. */
export function ApplicationsTable({ fixedState }: { fixedState?: State }) {
  const { t } = useTranslation("applications");
  const [params, setParams] = useSearchParams();
  const chosen = (params.get("state") as State | null) ?? undefined;
  const state = fixedState ?? (chosen && STATES.includes(chosen) ? chosen : undefined);
  const list = useApplications(state);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {!fixedState && (
        <Select<State | "">
          aria-label={t("list.stateFilter")}
          style={{ width: 240 }}
          value={state ?? ""}
          onChange={(value) => setParams(value ? { state: value } : {})}
          options={[
            { value: "", label: t("list.allStates") },
            ...STATES.map((value) => ({ value, label: t(`enums.State.${value}`) })),
          ]}
        />
      )}
      <CursorTable<ApplicationSummary>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("list.empty") }}
        columns={[
          {
            title: t("fields.candidate"),
            dataIndex: "candidate_name",
            render: (name: string, row) => <Link to={`/applications/${row.id}`}>{name}</Link>,
          },
          { title: t("fields.track"), dataIndex: "track", render: (value) => t(`enums.Track.${value}`) },
          {
            title: t("fields.state"),
            dataIndex: "state",
            render: (value: State) => <EnumTag ns="applications" name="State" value={value} />,
          },
          { title: t("fields.reviewer"), dataIndex: "preliminary_reviewer", render: (value) => value ?? "—" },
          { title: t("fields.updatedAt"), dataIndex: "updated_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </Space>
  );
}
