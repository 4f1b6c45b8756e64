import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntdApp, ConfigProvider as AntdConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";
import { installAriaFixes, prefersReducedMotion } from "./a11y";
import { configureClient } from "./api/client";
import { isApiError } from "./api/problem";
import { ConfigProvider } from "./auth/AuthContext";
import { type ConsoleConfig, loadConfig } from "./config";
import "./i18n";
import { buildRouter } from "./router";

configureClient();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) is an answer, not a blip: shown at once, not retried.
      retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
      staleTime: 10_000,
      refetchOnWindowFocus: false,
    },
  },
});

const router = buildRouter();

/**
 * The platform's red; links a darker blue and antd's secondary greys darker so labels, group titles and placeholders reach WCAG AA
 * contrast (4.5:1) on white — antd's defaults (45% black) do not.
 */
const THEME = {
  token: {
    colorPrimary: "#b7282e",
    colorLink: "#0958d9",
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextDescription: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.58)",
    colorTextDisabled: "rgba(0, 0, 0, 0.58)",
    colorTextQuaternary: "rgba(0, 0, 0, 0.58)",
    motion: !prefersReducedMotion(),
  },
};

function Root({ config }: { config: ConsoleConfig }) {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  useEffect(() => {
    document.documentElement.lang = english ? "en" : "zh-CN";
    dayjs.locale(english ? "en" : "zh-cn");
    void queryClient.invalidateQueries();
  }, [english]);
  return (
    <AntdConfigProvider locale={english ? enUS : zhCN} theme={THEME}>
      <AntdApp>
        <ConfigProvider value={config}>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </ConfigProvider>
      </AntdApp>
    </AntdConfigProvider>
  );
}

function Boot() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  useEffect(() => {
    loadConfig().then(setConfig, () => setConfig({ sign_in: "local" }));
  }, []);
  return config ? <Root config={config} /> : null;
}

const container = document.getElementById("root");
if (container) {
  installAriaFixes();
  createRoot(container).render(
    <StrictMode>
      <Boot />
    </StrictMode>,
  );
}
