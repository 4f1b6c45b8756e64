import { Result, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useConsoleConfig } from "./AuthContext";
import { completeOidcSignIn } from "./oidc";
import { setSession } from "./session";

export default function OidcCallback() {
  const config = useConsoleConfig();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    completeOidcSignIn(config)
      .then(({ session, returnTo }) => {
        setSession(session);
        navigate(returnTo.startsWith("/") ? returnTo : "/", { replace: true });
      })
      .catch((caught: unknown) => setError(String(caught)));
  }, [config, navigate]);
  if (error) return <Result status="error" title={t("signIn.oidcFailed")} subTitle={error} />;
  return <Spin style={{ display: "block", margin: 64 }} />;
}
