import { describe, expect, it } from "vitest";
import { catalogues } from ".";

function keys(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      keys(inner, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [prefix];
}

describe("message catalogues", () => {
  const { "zh-CN": zh, en } = catalogues();

  it("have the same areas in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    expect(Object.keys(zh)).toContain("common");
  });

  it.each(Object.keys(zh))("give every label of %s in both languages", (namespace) => {
    const zhKeys = keys(zh[namespace]).sort();
    const enKeys = keys(en[namespace] ?? {}).sort();
    expect(
      enKeys.filter((key) => !zhKeys.includes(key)),
      "only in English",
    ).toEqual([]);
    expect(
      zhKeys.filter((key) => !enKeys.includes(key)),
      "only in Chinese",
    ).toEqual([]);
  });

  it("have no empty label", () => {
    for (const language of [zh, en]) {
      for (const [namespace, messages] of Object.entries(language)) {
        for (const key of keys(messages)) {
          const value = key
            .split(".")
            .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
          expect(typeof value === "string" && value.trim().length > 0, `${namespace}:${key}`).toBe(true);
        }
      }
    }
  });
});
