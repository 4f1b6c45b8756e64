import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { type Language, setLanguage } from "../i18n";

/** 中文 / English: every label of the page follows at once (and the APIs' messages, by Accept-Language). */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const value: Language = i18n.language === "en" ? "en" : "zh-CN";
  return (
    <Segmented<Language>
      aria-label={t("language.choose")}
      value={value}
      onChange={(language) => setLanguage(language)}
      options={[
        { value: "zh-CN", label: "中文" },
        { value: "en", label: "English" },
      ]}
    />
  );
}
