import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Select, Space, Spin, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { newIdempotencyKey } from "../../api/client";
import type { ApplicationCreate, ApplicationRead } from "../../api/generated/types.gen";
import { isApiError } from "../../api/problem";
import { ConflictAlert } from "../../components/ConflictAlert";
import { Money } from "../../components/format";
import { showFieldErrors } from "../../components/forms";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useApplication, useCatalogueEntries, useCreateApplication, usePatchApplication } from "./hooks";

const TRACKS = ["haiju_long_term", "key_industry_recurring", "short_term"] as const;

function formValues(application: ApplicationRead): ApplicationCreate {
  const { candidate, contract } = application;
  return {
    catalogue_entry_id: application.catalogue_entry_id,
    track: application.track,
    position: application.position,
    intent_date: application.intent_date,
    candidate: {
      name: candidate.name,
      nationality: candidate.nationality,
      passport_number: candidate.passport_number,
      date_of_birth: candidate.date_of_birth,
      field: candidate.field,
      achievements: candidate.achievements,
      current_post: candidate.current_post,
    },
    contract: { start: contract.start, end: contract.end, annual_salary: contract.annual_salary },
  };
}

/**
 * Draft an application (R-APPLY) or edit a draft or a returned one. An edit sends If-Match with the version it
 * read; when someone changed it since (412), what the user typed stays in the form, the newer version is shown
 * beside it, and saving again applies the change on the newer version.
 */
export default function ApplicationFormPage() {
  const { t } = useTranslation("applications");
  const { applicationId } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<ApplicationCreate>();
  const existing = useApplication(applicationId);
  const entries = useCatalogueEntries();
  const create = useCreateApplication();
  const patch = usePatchApplication(applicationId ?? "");
  const [etag, setEtag] = useState<string | undefined>();
  const [newer, setNewer] = useState<ApplicationRead | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = useRef(newIdempotencyKey());
  const loaded = existing.data;

  useEffect(() => {
    if (loaded && !etag) {
      form.setFieldsValue(formValues(loaded.application));
      setEtag(loaded.etag);
    }
  }, [loaded, etag, form]);

  async function save(values: ApplicationCreate) {
    setError(null);
    try {
      if (applicationId) {
        await patch.mutateAsync({ body: values, etag: etag ?? "" });
        navigate(`/applications/${applicationId}`);
      } else {
        const created = await create.mutateAsync({ body: values, key: key.current });
        navigate(`/applications/${created.id}`);
      }
    } catch (caught) {
      setError(caught);
      showFieldErrors(form, caught);
    }
  }

  async function reloadNewer() {
    const fresh = await existing.refetch();
    if (fresh.data) {
      setEtag(fresh.data.etag);
      setNewer(fresh.data.application);
      setError(null);
    }
  }

  if (applicationId && existing.isLoading) return <Spin />;
  const conflict = isApiError(error) && error.isConflict;
  const saving = create.isPending || patch.isPending;
  return (
    <div>
      <Typography.Title level={2}>{applicationId ? t("form.editTitle") : t("form.newTitle")}</Typography.Title>
      <ProblemAlert error={existing.error ?? entries.error} style={{ marginBottom: 12 }} />
      {conflict ? (
        <ConflictAlert error={error} onReload={reloadNewer} />
      ) : (
        <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      )}
      {newer && (
        <Alert
          type="info"
          showIcon
          style={{ margin: "12px 0" }}
          message={t("form.newerLoaded")}
          description={
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t("fields.position")}>{newer.position}</Descriptions.Item>
              <Descriptions.Item label={t("fields.salary")}>
                <Money value={newer.contract.annual_salary} />
              </Descriptions.Item>
              <Descriptions.Item label={t("fields.contractStart")}>{newer.contract.start}</Descriptions.Item>
              <Descriptions.Item label={t("fields.contractEnd")}>{newer.contract.end}</Descriptions.Item>
            </Descriptions>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={save} scrollToFirstError>
        <Card title={t("form.sections.position")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="catalogue_entry_id"
                label={t("fields.catalogueEntry")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={entries.isLoading}
                  options={(entries.data?.items ?? []).map((entry) => ({
                    value: entry.id,
                    label: `${entry.demand} (${entry.edition_title})`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="track"
                label={t("fields.track")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Select options={TRACKS.map((value) => ({ value, label: t(`enums.Track.${value}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="position"
                label={t("fields.position")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="intent_date"
                label={t("fields.intentDate")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t("form.sections.candidate")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {(
              [
                ["name", "candidateName"],
                ["nationality", "nationality"],
                ["passport_number", "passport"],
                ["date_of_birth", "dateOfBirth"],
                ["field", "field"],
                ["current_post", "currentPost"],
              ] as const
            ).map(([name, label]) => (
              <Col xs={24} md={12} key={name}>
                <Form.Item
                  name={["candidate", name]}
                  label={t(`fields.${label}`)}
                  extra={name === "nationality" ? t("form.nationalityHelp") : undefined}
                  rules={[{ required: true, message: t("form.required") }]}
                >
                  <Input type={name === "date_of_birth" ? "date" : "text"} autoComplete="off" />
                </Form.Item>
              </Col>
            ))}
            <Col span={24}>
              <Form.Item
                name={["candidate", "achievements"]}
                label={t("fields.achievements")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input.TextArea rows={4} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={t("form.sections.contract")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                name={["contract", "start"]}
                label={t("fields.contractStart")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name={["contract", "end"]}
                label={t("fields.contractEnd")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name={["contract", "annual_salary"]}
                label={t("fields.salary")}
                extra={t("form.salaryHelp")}
                rules={[{ required: true, message: t("form.required") }]}
              >
                <Input inputMode="decimal" addonBefore="¥" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {applicationId ? t("form.save") : t("form.createDraft")}
          </Button>
          <Button onClick={() => navigate(-1)}>{t("form.cancel")}</Button>
        </Space>
      </Form>
    </div>
  );
}
