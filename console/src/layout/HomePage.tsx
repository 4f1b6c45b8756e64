import { Card, Col, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { AREAS, allowed } from "../areas";
import { useSession } from "../auth/AuthContext";

/** The landing page: what this user can do, area by area (the public pages for everyone). */
export default function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const areas = AREAS.map((area) => ({
    area,
    routes: area.routes.filter((route) => route.menu !== false && allowed(route, session)),
  })).filter(({ routes }) => routes.length > 0);
  return (
    <div>
      <Typography.Title level={2}>{t("home.title")}</Typography.Title>
      <Typography.Paragraph>{session ? t("home.signedIn") : t("home.welcome")}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {areas.map(({ area, routes }) => (
          <Col key={area.namespace} xs={24} md={12} xl={8}>
            <Card title={t(`${area.namespace}:area`)} size="small">
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {routes.map((route) => (
                  <li key={route.path}>
                    <Link to={`/${route.path}`}>{t(route.label)}</Link>
                  </li>
                ))}
              </ul>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
