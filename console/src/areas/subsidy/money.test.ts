import { describe, expect, it } from "vitest";
import { chartLength, fromFen, isMoneyInput, moreThan, sumMoney, toFen } from "./money";

describe("amounts as decimal strings", () => {
  it("accept what the API accepts as an amount input, and nothing else", () => {
    for (const good of ["0", "0.5", "850000.00", "999999999999.99", " 12.3 "]) expect(isMoneyInput(good)).toBe(true);
    for (const bad of ["", "-1", "1.234", "1e5", "1,000", "¥10", "1.", ".5", "1000000000000"]) {
      expect(isMoneyInput(bad), bad).toBe(false);
    }
  });

  it("add exactly where floats would not", () => {
    expect(sumMoney(["0.10", "0.20"])).toBe("0.30");
    expect(sumMoney(Array(10).fill("0.10"))).toBe("1.00");
    expect(sumMoney(["138000.00", "-38000.01", "0.01"])).toBe("100000.00");
    expect(sumMoney([])).toBe("0.00");
    // Beyond a double's exact integers: 2^53 fen and one more.
    expect(sumMoney(["90071992547409.92", "0.01"])).toBe("90071992547409.93");
  });

  it("go to fen and back", () => {
    expect(toFen("12.5")).toBe(1250n);
    expect(toFen("-0.01")).toBe(-1n);
    expect(fromFen(-1250n)).toBe("-12.50");
    expect(fromFen(5n)).toBe("0.05");
    expect(() => toFen("1e3")).toThrow();
    expect(() => toFen("abc")).toThrow();
  });

  it("compare exactly, and give a chart its length", () => {
    expect(moreThan("100000.01", "100000.00")).toBe(true);
    expect(moreThan("0.00", "0")).toBe(false);
    expect(chartLength("138000.50")).toBe(138000.5);
  });
});
