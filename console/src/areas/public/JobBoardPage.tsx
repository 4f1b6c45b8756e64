import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { PostingRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime, Money } from "../../components/format";
import { usePostings } from "./hooks";

/** The job board (R-PLATFORM (2)): employers' open demand postings, public. */
export default function JobBoardPage() {
  const { t } = useTranslation("public");
  const list = usePostings();
  return (
    <div>
      <Typography.Title level={2}>{t("jobs.title")}</Typography.Title>
      <CursorTable<PostingRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("jobs.empty") }}
        columns={[
          { title: t("fields.title"), dataIndex: "title" },
          { title: t("fields.field"), dataIndex: "field" },
          { title: t("fields.skills"), dataIndex: "skills", render: (skills: string[]) => skills.join(", ") },
          { title: t("fields.term"), key: "term", render: (_, row) => `${row.term_start} – ${row.term_end}` },
          {
            title: t("fields.salaryRange"),
            key: "salary",
            render: (_, row) => (
              <>
                <Money value={row.salary_min} /> – <Money value={row.salary_max} />
              </>
            ),
          },
          { title: t("fields.postedAt"), dataIndex: "posted_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </div>
  );
}
