import { Alert, Button, Card, Checkbox, Descriptions, List, Space, Table, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { SittingMemberRead } from "../../api/generated/types.gen";
import { useSession } from "../../auth/AuthContext";
import { hasAnyRole, OFFICER_ROLES } from "../../auth/session";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useRecordAttendance, useSitting } from "./hooks";

/** A sitting: who was called and who is present (R-COMMITTEE: every seat type), and its agenda. */
export default function SittingPage() {
  const { t } = useTranslation("committee");
  const { sittingId = "" } = useParams();
  const sitting = useSitting(sittingId);
  const officer = hasAnyRole(useSession(), OFFICER_ROLES);
  const data = sitting.data;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={2}>{t("sitting.title", { date: data?.held_on ?? "" })}</Typography.Title>
      <ProblemAlert error={sitting.error} />
      {data && (
        <>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t("fields.heldOn")}>{data.held_on}</Descriptions.Item>
            <Descriptions.Item label={t("fields.attendance")}>
              {data.attendance_recorded ? t("sittings.recorded") : t("sittings.notRecorded")}
            </Descriptions.Item>
          </Descriptions>
          {data.attendance_recorded && data.missing_seat_types.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={t("sitting.missingSeats", {
                seats: data.missing_seat_types.map((seat) => t(`enums.SeatType.${seat}`)).join(", "),
              })}
            />
          )}
          {officer ? (
            <AttendanceForm sittingId={sittingId} members={data.members} />
          ) : (
            <Card size="small" title={t("sitting.members")}>
              <Table<SittingMemberRead>
                rowKey="member_id"
                pagination={false}
                dataSource={data.members}
                columns={[
                  { title: t("fields.name"), dataIndex: "name" },
                  { title: t("fields.seatType"), dataIndex: "seat_type", render: (s) => t(`enums.SeatType.${s}`) },
                  {
                    title: t("fields.present"),
                    dataIndex: "present",
                    render: (present: boolean) => (present ? t("sitting.yes") : t("sitting.no")),
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t("sitting.agenda")}>
            <List
              dataSource={data.agenda}
              locale={{ emptyText: t("sitting.emptyAgenda") }}
              renderItem={(applicationId, index) => (
                <List.Item>
                  <Link to={`/committee/sittings/${sittingId}/cases/${applicationId}`}>
                    {t("sitting.caseLink", { number: index + 1 })}
                  </Link>
                </List.Item>
              )}
            />
          </Card>
        </>
      )}
    </Space>
  );
}

/** The officer records who is present; a decision needs every seat type there (R-COMMITTEE). */
function AttendanceForm({ sittingId, members }: { sittingId: string; members: SittingMemberRead[] }) {
  const { t } = useTranslation("committee");
  const [present, setPresent] = useState<string[]>(members.filter((m) => m.present).map((m) => m.member_id));
  const record = useRecordAttendance(sittingId);
  const key = useRef(newIdempotencyKey());
  const [error, setError] = useState<unknown>(null);
  async function submit() {
    setError(null);
    try {
      await record.mutateAsync({ present, key: key.current });
      key.current = newIdempotencyKey();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <Card size="small" title={t("sitting.attendance")}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Checkbox.Group
        value={present}
        onChange={(values) => setPresent(values as string[])}
        options={members.map((m) => ({
          value: m.member_id,
          label: `${m.name} (${t(`enums.SeatType.${m.seat_type}`)})`,
        }))}
      />
      <div style={{ marginTop: 12 }}>
        <Button type="primary" onClick={submit} loading={record.isPending}>
          {t("sitting.recordAttendance")}
        </Button>
      </div>
    </Card>
  );
}
