import { Button, Layout, Menu, Space, Spin, Typography } from "antd";
import { Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { AREAS, allowed } from "../areas";
import { useSession } from "../auth/AuthContext";
import { setSession } from "../auth/session";
import { LanguageSwitch } from "./LanguageSwitch";

/** The shell: the menu of what the signed-in user's roles may do (or the public pages), the language, the user. */
export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const items = useMemo(
    () =>
      AREAS.map((area) => {
        const children = area.routes
          .filter((route) => route.menu !== false && allowed(route, session))
          .map((route) => ({
            key: `/${route.path}`,
            icon: route.icon,
            label: <Link to={`/${route.path}`}>{t(route.label)}</Link>,
          }));
        return children.length
          ? { key: area.namespace, label: t(`${area.namespace}:area`), type: "group" as const, children }
          : null;
      }).filter((item) => item !== null),
    [session, t],
  );
  const selected = `/${location.pathname.replace(/^\//, "")}`;

  async function signOut() {
    const signOutAtProvider = session?.signOut;
    setSession(null);
    navigate("/", { replace: true });
    if (signOutAtProvider) await signOutAtProvider();
  }

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header
        style={{ display: "flex", alignItems: "center", gap: 16, background: "#fff", borderBottom: "1px solid #eee" }}
      >
        <Link to="/" style={{ fontWeight: 600, fontSize: 16, color: "#1f1f1f" }}>
          {t("app.title")}
        </Link>
        <div style={{ flex: 1 }} />
        <LanguageSwitch />
        {session ? (
          <Space>
            <Typography.Text data-testid="signed-in-as">
              {t("app.signedInAs", {
                subject: session.subject,
                roles: session.roles.map((role) => t(`roles.${role}`)).join(", "),
              })}
            </Typography.Text>
            <Button onClick={signOut}>{t("app.signOut")}</Button>
          </Space>
        ) : (
          <Button type="primary" onClick={() => navigate("/sign-in")}>
            {t("app.signIn")}
          </Button>
        )}
      </Layout.Header>
      <Layout>
        <Layout.Sider
          width={232}
          theme="light"
          breakpoint="lg"
          collapsedWidth={0}
          style={{ borderRight: "1px solid #eee" }}
        >
          <nav aria-label={t("app.menu")}>
            <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<Spin style={{ display: "block", margin: 64 }} />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
