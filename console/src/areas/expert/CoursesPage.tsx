import { Button, Typography } from "antd";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { CourseRead } from "../../api/generated/types.gen";
import { CursorTable } from "../../components/CursorTable";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useCourses, useEnrol } from "./hooks";

/** Adaptation courses (R-SETTLE: language, culture, the city) and enrolling in one. */
export default function CoursesPage() {
  const { t } = useTranslation("expert");
  const list = useCourses();
  const enrol = useEnrol();
  const keys = useRef(new Map<string, string>());
  const keyOf = (id: string) => {
    if (!keys.current.has(id)) keys.current.set(id, newIdempotencyKey());
    return keys.current.get(id) as string;
  };
  return (
    <div>
      <Typography.Title level={2}>{t("courses.title")}</Typography.Title>
      <ProblemAlert error={enrol.error} style={{ marginBottom: 12 }} />
      <CursorTable<CourseRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("courses.empty") }}
        columns={[
          { title: t("fields.course"), dataIndex: "title" },
          { title: t("fields.kind"), dataIndex: "kind", render: (v) => t(`enums.CourseKind.${v}`) },
          { title: t("fields.dates"), key: "dates", render: (_, row) => `${row.starts_on} – ${row.ends_on}` },
          { title: t("fields.location"), dataIndex: "location" },
          { title: t("fields.places"), key: "places", render: (_, row) => `${row.enrolled} / ${row.capacity}` },
          {
            title: t("courses.enrol"),
            key: "enrol",
            render: (_, row) => (
              <Button size="small" onClick={() => enrol.mutate({ courseId: row.id, key: keyOf(row.id) })}>
                {t("courses.enrolButton")}
              </Button>
            ),
          },
        ]}
      />
    </div>
  );
}
