import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { CatalogueEntryRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { EnumTag } from "../../components/format";
import { useCatalogue } from "./hooks";

/** The introduction catalogue (引进目录, R-CATALOGUE): what Beijing seeks, published for anyone. */
export default function CataloguePage() {
  const { t } = useTranslation("public");
  const list = useCatalogue();
  return (
    <div>
      <Typography.Title level={2}>{t("catalogue.title")}</Typography.Title>
      <CursorTable<CatalogueEntryRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("catalogue.empty") }}
        columns={[
          { title: t("fields.demand"), dataIndex: "demand" },
          { title: t("fields.field"), dataIndex: "field" },
          { title: t("fields.focusArea"), dataIndex: "focus_area" },
          { title: t("fields.numberSought"), dataIndex: "number_sought" },
          { title: t("fields.valid"), key: "valid", render: (_, row) => `${row.valid_from} – ${row.valid_until}` },
          {
            title: t("fields.status"),
            dataIndex: "status",
            render: (value) => <EnumTag ns="public" name="EntryStatus" value={value} />,
          },
          { title: t("fields.edition"), dataIndex: "edition_title" },
        ]}
      />
    </div>
  );
}
