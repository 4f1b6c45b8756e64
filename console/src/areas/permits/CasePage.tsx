import { Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { PermitApplicationRead, SchoolPlacementRead, SchoolType } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole } from "../../auth/session";
import { BeijingTime, EnumTag } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useCase, useCaseApplications, usePlacements, useRequestPlacement } from "./hooks";

const SCHOOL_TYPES: SchoolType[] = ["qualified_public", "private", "international"];

/** A green-channel case: its SLA, the expert's and dependants' permit applications, the school placements. */
export default function CasePage() {
  const { t } = useTranslation("permits");
  const { caseId = "" } = useParams();
  const permitCase = useCase(caseId);
  const applications = useCaseApplications(caseId);
  const placements = usePlacements(caseId);
  const employer = hasAnyRole(useSession(), ["employer"]);
  const c = permitCase.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("case.title")}</Typography.Title>
      <ProblemAlert error={permitCase.error} />
      {c && (
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label={t("fields.status")}>
            <EnumTag ns="permits" name="CaseStatus" value={c.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.sla")}>
            <EnumTag ns="permits" name="SlaState" value={c.sla_state} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.dueBy")}>
            {c.due_by} ({t("case.workingDays", { days: c.sla_working_days })})
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.openedAt")}>
            <BeijingTime value={c.opened_at} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.issuedAt")}>
            <BeijingTime value={c.documents_issued_at} />
          </Descriptions.Item>
          <Descriptions.Item label={t("fields.track")}>{t(`enums.Track.${c.track}`)}</Descriptions.Item>
        </Descriptions>
      )}
      <Card size="small" title={t("case.applications")}>
        <ProblemAlert error={applications.error} />
        <PermitsTable rows={applications.data ?? []} />
      </Card>
      <Card size="small" title={t("case.placements")}>
        {employer && c?.status === "open" && <PlacementForm caseId={caseId} />}
        <Table<SchoolPlacementRead>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={placements.data ?? []}
          locale={{ emptyText: t("case.noPlacements") }}
          columns={[
            { title: t("fields.child"), dataIndex: "child_name" },
            {
              title: t("fields.schoolType"),
              dataIndex: "preferred_school_type",
              render: (v) => t(`enums.SchoolType.${v}`),
            },
            {
              title: t("fields.status"),
              dataIndex: "status",
              render: (value) => <EnumTag ns="permits" name="PlacementStatus" value={value} />,
            },
            { title: t("fields.school"), dataIndex: "school_name", render: (v) => v ?? "—" },
          ]}
        />
      </Card>
    </Space>
  );
}

/** Permit applications with their kind, holder, state and expiry (R-PERMIT). */
export function PermitsTable({ rows }: { rows: PermitApplicationRead[] }) {
  const { t } = useTranslation("permits");
  return (
    <Table<PermitApplicationRead>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: t("case.noApplications") }}
      columns={[
        { title: t("fields.kind"), dataIndex: "kind", render: (v) => t(`enums.PermitKind.${v}`) },
        { title: t("fields.holder"), key: "holder", render: (_, row) => row.dependant_name ?? t("case.theExpert") },
        {
          title: t("fields.status"),
          dataIndex: "status",
          render: (value) => <EnumTag ns="permits" name="ApplicationStatus" value={value} />,
        },
        { title: t("fields.number"), dataIndex: "permit_number", render: (v) => v ?? "—" },
        { title: t("fields.validFrom"), dataIndex: "valid_from" },
        { title: t("fields.validUntil"), dataIndex: "valid_until" },
      ]}
    />
  );
}

interface PlacementValues {
  child_name: string;
  date_of_birth: Dayjs;
  preferred_school_type: SchoolType;
  grade?: string;
}

/** The employer asks the bureau to place a child of the expert at a school (R-SCHOOL). */
function PlacementForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation("permits");
  const [form] = Form.useForm<PlacementValues>();
  const request = useRequestPlacement(caseId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: PlacementValues) {
    setError(null);
    try {
      await request.mutateAsync({
        body: { ...values, date_of_birth: values.date_of_birth.format("YYYY-MM-DD") },
        key: key.current,
      });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <div style={{ marginBottom: 12 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="child_name"
          label={t("fields.child")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="date_of_birth"
          label={t("fields.dateOfBirth")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <DatePicker />
        </Form.Item>
        <Form.Item
          name="preferred_school_type"
          label={t("fields.schoolType")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Select
            style={{ width: 200 }}
            options={SCHOOL_TYPES.map((v) => ({ value: v, label: t(`enums.SchoolType.${v}`) }))}
          />
        </Form.Item>
        <Form.Item name="grade" label={t("fields.grade")}>
          <Input style={{ width: 100 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={request.isPending}>
          {t("case.requestPlacement")}
        </Button>
      </Form>
    </div>
  );
}
