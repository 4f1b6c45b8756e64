import type { FormInstance } from "antd";
import { isApiError } from "../api/problem";

/**
 * Put a refusal's field errors on the form's fields (the user's input stays as typed); nested fields are named by
 * their path (`candidate.name`). Returns whether any field of the form was named (else the caller shows the
 * problem above the form, as it does anyway).
 */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const values = (form.getFieldsValue(true) ?? {}) as Record<string, unknown>;
  const fields = Object.entries(error.fieldErrors())
    .map(([field, errors]) => ({ name: field.split("."), errors }))
    .filter((field) => field.name[0] in values);
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
