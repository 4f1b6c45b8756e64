import { Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useSession } from "../../auth/AuthContext";
import { ApplicationsTable } from "./ApplicationsTable";

export default function ApplicationsPage() {
  const { t } = useTranslation("applications");
  const session = useSession();
  const navigate = useNavigate();
  return (
    <div>
      <Space style={{ width: "100%", justifyContent: "space-between" }}>
        <Typography.Title level={2}>{t("list.title")}</Typography.Title>
        {session?.roles.includes("employer") && (
          <Button type="primary" onClick={() => navigate("/applications/new")}>
            {t("list.new")}
          </Button>
        )}
      </Space>
      <ApplicationsTable />
    </div>
  );
}
