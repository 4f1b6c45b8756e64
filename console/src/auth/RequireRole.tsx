import { Result } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";
import { useSession } from "./AuthContext";
import type { Role } from "./session";

/** A screen for some roles: the sign-in page for nobody, a 403 for a user without one of them. */
export function RequireRole({ roles, children }: { roles: readonly Role[] | "public"; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (roles === "public") return <>{children}</>;
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  if (!session.roles.some((role) => roles.includes(role))) {
    return <Result status="403" title={t("errors.forbiddenTitle")} subTitle={t("errors.forbidden")} />;
  }
  return <>{children}</>;
}
