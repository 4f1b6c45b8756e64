import { Result } from "antd";
import { lazy } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter } from "react-router";
import { AREAS } from "./areas";
import { RequireRole } from "./auth/RequireRole";
import { AppLayout } from "./layout/AppLayout";

const HomePage = lazy(() => import("./layout/HomePage"));
const SignInPage = lazy(() => import("./auth/SignInPage"));
const OidcCallback = lazy(() => import("./auth/OidcCallback"));

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t("errors.pageNotFound")} />;
}

/** Every area's screens, each its own chunk (React.lazy), behind the roles it serves. */
export function buildRouter() {
  return createBrowserRouter(
    [
      {
        path: "/",
        element: <AppLayout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: "sign-in", element: <SignInPage /> },
          { path: "auth/callback", element: <OidcCallback /> },
          ...AREAS.flatMap((area) =>
            area.routes.map((route) => ({
              path: route.path,
              element: (
                <RequireRole roles={route.roles}>
                  <route.element />
                </RequireRole>
              ),
            })),
          ),
          { path: "*", element: <NotFound /> },
        ],
      },
    ],
    { basename: import.meta.env.BASE_URL.replace(/\/$/, "") },
  );
}
