import { Button, Card, Form, Input, Select, Table, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { newIdempotencyKey } from "../../api/client";
import type { MemberCreate, MemberRead } from "../../api/generated/types.gen";
import { BeijingTime } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { SEAT_TYPES, useAddMember, useMembers } from "./hooks";

/** The committee roster (R-COMMITTEE: experts and the four departments' seats) and putting a member on it. */
export default function RosterPage() {
  const { t } = useTranslation("committee");
  const members = useMembers();
  return (
    <div>
      <Typography.Title level={2}>{t("roster.title")}</Typography.Title>
      <AddMemberForm />
      <ProblemAlert error={members.error} style={{ marginBottom: 12 }} />
      <Table<MemberRead>
        rowKey="id"
        loading={members.isLoading}
        dataSource={members.data ?? []}
        pagination={false}
        locale={{ emptyText: t("roster.empty") }}
        columns={[
          { title: t("fields.name"), dataIndex: "name" },
          { title: t("fields.seatType"), dataIndex: "seat_type", render: (seat) => t(`enums.SeatType.${seat}`) },
          { title: t("fields.subject"), dataIndex: "subject" },
          { title: t("fields.addedAt"), dataIndex: "created_at", render: (value) => <BeijingTime value={value} /> },
        ]}
      />
    </div>
  );
}

function AddMemberForm() {
  const { t } = useTranslation("committee");
  const [form] = Form.useForm<MemberCreate>();
  const add = useAddMember();
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit(values: MemberCreate) {
    setError(null);
    try {
      await add.mutateAsync({ body: values, key: key.current });
      key.current = newIdempotencyKey();
      form.resetFields();
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }
  return (
    <Card size="small" title={t("roster.add")} style={{ marginBottom: 16 }}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} layout="inline" onFinish={submit}>
        <Form.Item name="name" label={t("fields.name")} rules={[{ required: true, message: t("form.required") }]}>
          <Input />
        </Form.Item>
        <Form.Item name="subject" label={t("fields.subject")} rules={[{ required: true, message: t("form.required") }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="seat_type"
          label={t("fields.seatType")}
          rules={[{ required: true, message: t("form.required") }]}
        >
          <Select
            style={{ width: 220 }}
            options={SEAT_TYPES.map((seat) => ({ value: seat, label: t(`enums.SeatType.${seat}`) }))}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={add.isPending}>
          {t("roster.addButton")}
        </Button>
      </Form>
    </Card>
  );
}
