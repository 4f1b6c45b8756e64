import { Button, Card, DatePicker, Form, Select, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { SittingSummaryRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { CursorTable } from "../../components/CursorTable";
import { BeijingTime } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { dossierOf } from "./dossier";
import { useAwaitingCases, useConveneSitting, useMembers, useSittings } from "./hooks";

/** Sittings, latest first: every one for an officer (who convenes them), a member's own for a member. */
export default function SittingsPage() {
  const { t } = useTranslation("committee");
  const officer = hasAnyRole(useSession(), OFFICER_ROLES);
  const list = useSittings();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{officer ? t("sittings.title") : t("sittings.mine")}</Typography.Title>
      {officer && <ConveneSittingForm />}
      <CursorTable<SittingSummaryRead>
        list={list}
        rowKey="id"
        locale={{ emptyText: t("sittings.empty") }}
        columns={[
          {
            title: t("fields.heldOn"),
            dataIndex: "held_on",
            render: (value: string, row) => <Link to={`/committee/sittings/${row.id}`}>{value}</Link>,
          },
          { title: t("fields.members"), dataIndex: "member_count" },
          { title: t("fields.agenda"), dataIndex: "agenda_size" },
          {
            title: t("fields.attendance"),
            dataIndex: "attendance_recorded",
            render: (recorded: boolean) => (recorded ? t("sittings.recorded") : t("sittings.notRecorded")),
          },
          { title: t("fields.createdAt"), dataIndex: "created_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </Space>
  );
}

interface ConveneValues {
  held_on: Dayjs;
  member_ids: string[];
  application_ids: string[];
}

/** Convene a sitting: its date, the members called, the cases on its agenda (those awaiting a sitting). */
function ConveneSittingForm() {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<ConveneValues>();
  const members = useMembers();
  const cases = useAwaitingCases();
  const convene = useConveneSitting();
  const navigate = useNavigate();
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: ConveneValues) {
    setError(null);
    try {
      const sitting = await convene.mutateAsync({
        body: { ...values, held_on: values.held_on.format("YYYY-MM-DD") },
        key: key.current,
      });
      navigate(`/committee/sittings/${sitting.id}`);
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("sittings.convene")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="held_on" label={t("fields.heldOn")} rules={[{ required: true, message: t("form.required") }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item
          name="member_ids"
          label={t("fields.members")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Select
            mode="multiple"
            optionFilterProp="label"
            loading={members.isLoading}
            options={(members.data ?? []).map((m) => ({
              value: m.id,
              label: `${m.name} (${t(`enums.SeatType.${m.seat_type}`)})`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="application_ids"
          label={t("fields.agenda")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Select
            mode="multiple"
            optionFilterProp="label"
            loading={cases.isLoading}
            options={(cases.data?.items ?? []).map((c) => ({
              value: c.application_id,
              label: `${dossierOf(c).candidate} — ${dossierOf(c).employer}`,
            }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={convene.isPending}>
          {t("sittings.conveneButton")}
        </Button>
      </Form>
    </Card>
  );
}
