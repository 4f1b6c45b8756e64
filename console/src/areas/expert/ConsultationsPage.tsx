import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { ConsultationRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, EnumTag } from "../../components/format";
import { useConsultations } from "./hooks";

/** Consultations of experts open to the signed-in expert (R-PLATFORM (5)). */
export default function ConsultationsPage() {
  const { t } = useTranslation("expert");
  const list = useConsultations();
  return (
    <div>
      <Typography.Title level={2}>{t("consultations.title")}</Typography.Title>
      <CursorTable<ConsultationRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("consultations.empty") }}
        columns={[
          { title: t("fields.consultation"), dataIndex: "title" },
          { title: t("fields.description"), dataIndex: "description", ellipsis: true },
          { title: t("fields.questions"), dataIndex: "questions", render: (q: unknown[]) => q.length },
          {
            title: t("fields.status"),
            dataIndex: "status",
            render: (value) => <EnumTag ns="expert" name="ConsultationStatus" value={value} />,
          },
          { title: t("fields.openedAt"), dataIndex: "opened_at", render: (v) => <BeijingTime value={v} /> },
        ]}
      />
    </div>
  );
}
