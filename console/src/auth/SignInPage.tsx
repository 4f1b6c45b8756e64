import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { directorySignInOptions, directorySignInToken } from "../api/generated/sdk.gen";
import { showFieldErrors } from "../components/forms";
import { ProblemAlert } from "../components/ProblemAlert";
import { useConsoleConfig } from "./AuthContext";
import { startOidcSignIn } from "./oidc";
import { type Role, sessionOfToken, setSession } from "./session";

/** Roles that act for an organisation, and the kind of organisation each picks. */
const ORGANISATION_OF: Partial<Record<Role, "employer" | "reviewer">> = {
  employer: "employer",
  preliminary_reviewer: "reviewer",
};

/** Roles whose subject is an identity the platform knows (a roster member, an expert id). */
const SUBJECT_OF: Partial<Record<Role, string>> = { committee_member: "member", expert: "expert" };

function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default function SignInPage() {
  const config = useConsoleConfig();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const [form] = Form.useForm();
  const role = Form.useWatch("role", form) as Role | undefined;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const options = useQuery({
    queryKey: ["sign-in-options", i18n.language],
    queryFn: async () => (await directorySignInOptions({ throwOnError: true })).data,
    enabled: config.sign_in === "local",
    retry: false,
  });

  if (config.sign_in === "oidc") {
    return (
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>
            {t("signIn.title")}
          </Typography.Title>
        }
        style={{ maxWidth: 480, margin: "48px auto" }}
      >
        <Space direction="vertical" style={{ width: "100%" }}>
          <Typography.Paragraph>{t("signIn.oidcExplain")}</Typography.Paragraph>
          <Button type="primary" onClick={() => startOidcSignIn(config, next)}>
            {t("signIn.oidcButton")}
          </Button>
        </Space>
      </Card>
    );
  }

  const data = options.data;
  const organisationKind = role ? ORGANISATION_OF[role] : undefined;
  const organisations =
    organisationKind === "employer"
      ? (data?.employers ?? []).map((employer) => ({ value: employer.id, label: employer.name }))
      : organisationKind === "reviewer"
        ? [...(data?.districts ?? []), ...(data?.departments ?? [])].map((org) => ({ value: org.id, label: org.name }))
        : [];

  async function signIn(values: { role: Role; organisation?: string; subject?: string }) {
    setBusy(true);
    setError(null);
    try {
      const { data: token } = await directorySignInToken({
        throwOnError: true,
        body: { role: values.role, organisation: values.organisation || null, subject: values.subject || null },
      });
      setSession(sessionOfToken(token.access_token));
      navigate(next, { replace: true });
    } catch (caught) {
      showFieldErrors(form, caught);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>
          {t("signIn.devTitle")}
        </Typography.Title>
      }
      style={{ maxWidth: 520, margin: "48px auto" }}
    >
      <Alert type="info" showIcon message={t("signIn.devExplain")} style={{ marginBottom: 16 }} />
      <ProblemAlert error={options.error ?? error} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={signIn} disabled={!data}>
        <Form.Item name="role" label={t("signIn.role")} rules={[{ required: true, message: t("signIn.roleRequired") }]}>
          <Select
            options={(data?.roles ?? []).map((option) => ({ value: option.role, label: option.label }))}
            onChange={() => form.setFieldsValue({ organisation: undefined, subject: undefined })}
          />
        </Form.Item>
        {organisationKind && (
          <Form.Item
            name="organisation"
            label={t(`signIn.organisation.${organisationKind}`)}
            rules={[{ required: true, message: t("signIn.organisationRequired") }]}
          >
            <Select showSearch optionFilterProp="label" options={organisations} />
          </Form.Item>
        )}
        {role && SUBJECT_OF[role] && (
          <Form.Item
            name="subject"
            label={t(`signIn.subject.${SUBJECT_OF[role]}`)}
            extra={t(`signIn.subjectHelp.${SUBJECT_OF[role]}`)}
            rules={[{ required: true, message: t("signIn.subjectRequired") }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("signIn.submit")}
        </Button>
      </Form>
    </Card>
  );
}
