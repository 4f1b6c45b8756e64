import type { FormInstance } from "antd";
import { isApiError } from "../api/problem";

/**
 * Put a refusal's field errors on the form's fields (the user's input stays as typed); return whether any field
 * of the form was named (else the caller shows the problem above the form).
 */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields = Object.entries(error.fieldErrors())
    .map(([field, errors]) => ({ name: field.split(".")[0], errors }))
    .filter((field) => known.has(field.name));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
