import { Tag } from "antd";
import { useTranslation } from "react-i18next";

/** An amount as the API sends it (a decimal string, 2 places), grouped, never through a float. */
export function formatMoney(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  const negative = text.startsWith("-");
  const [whole, fraction = "00"] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}¥${grouped}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}

export function Money({ value }: { value: string | number | null | undefined }) {
  return <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatMoney(value)}</span>;
}

const BEIJING = "Asia/Shanghai";

/** A time or date shown in Beijing time, whatever the browser's zone. */
export function formatBeijing(value: string | null | undefined, withTime = true): string {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: BEIJING,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
  }).formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  const day = `${get("year")}-${get("month")}-${get("day")}`;
  return withTime ? `${day} ${get("hour")}:${get("minute")}` : day;
}

export function BeijingTime({ value, withTime = true }: { value: string | null | undefined; withTime?: boolean }) {
  return <time dateTime={value ?? undefined}>{formatBeijing(value, withTime)}</time>;
}

/** Tag colours whose text reaches WCAG AA contrast on their own background (antd's presets fall short of 4.5:1). */
const TONES: Record<string, { color: string; background: string; borderColor: string }> = {
  green: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
  red: { color: "#a8071a", background: "#fff1f0", borderColor: "#ffa39e" },
  orange: { color: "#873800", background: "#fff7e6", borderColor: "#ffd591" },
  blue: { color: "#003eb3", background: "#e6f4ff", borderColor: "#91caff" },
};

const COLOURS: Record<string, string> = {
  approved: "green",
  passed: "green",
  settled: "green",
  paid: "green",
  issued: "green",
  active: "green",
  confirmed: "red",
  rejected: "red",
  declined: "red",
  failed: "red",
  revoked: "red",
  breached: "red",
  returned: "orange",
  overdue: "orange",
  pending: "blue",
  submitted: "blue",
  draft: "default",
};

/** A state of an enum, labelled in the user's language from the area's catalogue (`enums.<Enum>.<value>`). */
export function EnumTag({ ns, name, value }: { ns: string; name: string; value: string | null | undefined }) {
  const { t } = useTranslation(ns);
  if (!value) return <span>—</span>;
  return <Tag style={TONES[COLOURS[value]]}>{t(`enums.${name}.${value}`, { defaultValue: value })}</Tag>;
}
