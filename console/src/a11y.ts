/**
 * antd 5's Form.Item hands `aria-required` to its control; a Select puts it on its outer <div>, which has no role
 * and may not carry it (axe: aria-allowed-attr, critical). It belongs on the combobox the user types into: move it
 * there, for every Select the console renders, as they appear.
 */
export function installAriaFixes(root: HTMLElement = document.body): () => void {
  const fix = () => {
    for (const select of root.querySelectorAll<HTMLElement>(".ant-select[aria-required]")) {
      const combobox = select.querySelector<HTMLElement>("[role=combobox]");
      if (combobox) combobox.setAttribute("aria-required", select.getAttribute("aria-required") ?? "true");
      select.removeAttribute("aria-required");
    }
  };
  fix();
  const observer = new MutationObserver(fix);
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-required"] });
  return () => observer.disconnect();
}

/** The user asked the system for less motion (and the browser tests do): antd's transitions are switched off. */
export function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && !!window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
}
