import i18n from "i18next";
import { initReactI18next } from "react-i18next";

/**
 * Every label in zh-CN (the default) and English: one JSON file per area and language under src/locales
 * (`locales/<language>/<area>.json`, the area's namespace). `i18n.test.ts` fails when a key is missing from one.
 */
export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const files = import.meta.glob<Record<string, unknown>>("../locales/*/*.json", { eager: true, import: "default" });

export function catalogues(): Record<Language, Record<string, Record<string, unknown>>> {
  const result = { "zh-CN": {}, en: {} } as Record<Language, Record<string, Record<string, unknown>>>;
  for (const [path, messages] of Object.entries(files)) {
    const match = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, language, namespace] = match;
    if ((LANGUAGES as readonly string[]).includes(language)) {
      result[language as Language][namespace] = messages;
    }
  }
  return result;
}

const STORAGE_KEY = "console.language";

function initialLanguage(): Language {
  const chosen = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  return chosen === "en" ? "en" : "zh-CN";
}

void i18n.use(initReactI18next).init({
  resources: catalogues(),
  lng: initialLanguage(),
  fallbackLng: "zh-CN",
  defaultNS: "common",
  ns: Object.keys(catalogues()["zh-CN"]),
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

export default i18n;
