import { Input, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { ExpertRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { EnumTag } from "../../components/format";
import { useExperts } from "./hooks";

/** The expert database: search by name, skill or anything in a record (full text); each opens its timeline. */
export default function ExpertsPage() {
  const { t } = useTranslation("directory");
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const list = useExperts(q);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("experts.title")}</Typography.Title>
      <Input.Search
        aria-label={t("experts.search")}
        placeholder={t("experts.search")}
        defaultValue={q}
        allowClear
        enterButton={t("experts.searchButton")}
        style={{ maxWidth: 480 }}
        onSearch={(value) => setParams(value ? { q: value } : {})}
      />
      <CursorTable<ExpertRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("experts.empty") }}
        columns={[
          {
            title: t("fields.name"),
            dataIndex: "name",
            render: (name: string, row) => <Link to={`/directory/experts/${row.id}`}>{name}</Link>,
          },
          { title: t("fields.nationality"), dataIndex: "nationality" },
          { title: t("fields.employer"), dataIndex: "employer_name", render: (value) => value ?? "—" },
          {
            title: t("fields.status"),
            dataIndex: "status",
            render: (value) => <EnumTag ns="directory" name="ExpertStatus" value={value} />,
          },
          {
            title: t("fields.benefits"),
            dataIndex: "benefits_revoked_since",
            render: (since: string | null) =>
              since ? <EnumTag ns="directory" name="Benefits" value="revoked" /> : t("experts.benefitsHeld"),
          },
        ]}
      />
    </Space>
  );
}
