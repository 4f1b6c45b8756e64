"""The R-FIELD taxonomy (Art. 5) as reference data: five focus areas, their fields, and the zones.

Revision ID: directory_0002
Revises: directory_0001
Create Date: 2026-11-27

The codes are copied here as shipped, so this revision stays runnable whatever later becomes of
services/directory/taxonomy.py; a change of taxonomy is a new revision, never an edit of this one.
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0002"
down_revision = "directory_0001"
branch_labels = None
depends_on = None

# (code, number, name, name_zh)
FOCUS_AREAS = (
    ('strategic_emerging_industries', 1, 'Strategic emerging industries, financial services, cultural and creative industries', '战略性新兴产业、金融服务业、文化创意产业'),
    ('key_zones', 2, "The 'two cities, two belts' and the 'six high, four new' zones", '“两城两带”、“六高四新”'),
    ('major_projects', 3, 'Major municipal projects, key engineering works, key disciplines and key laboratories', '重大项目、重点工程、重点学科、重点实验室'),
    ('joint_research_bases', 4, 'Research institutes, R&D bases and engineering centres built jointly by government, universities/institutes and enterprises', '政产学研共建的研究院、研发基地和工程中心'),
    ('city_operation', 5, 'City operation and management, transport, ecological environment, resource conservation and use', '城市运行管理、交通、生态环境、资源节约利用'),
)

# (code, focus_area, name, name_zh)
FIELDS = (
    ('new_generation_it', 'strategic_emerging_industries', 'New-generation information technology', '新一代信息技术'),
    ('biomedicine', 'strategic_emerging_industries', 'Biomedicine', '生物医药'),
    ('new_energy', 'strategic_emerging_industries', 'New energy', '新能源'),
    ('energy_saving_environmental', 'strategic_emerging_industries', 'Energy saving and environmental protection', '节能环保'),
    ('new_energy_vehicles', 'strategic_emerging_industries', 'New-energy vehicles', '新能源汽车'),
    ('new_materials', 'strategic_emerging_industries', 'New materials', '新材料'),
    ('high_end_equipment', 'strategic_emerging_industries', 'High-end equipment manufacturing', '高端装备制造'),
    ('aerospace', 'strategic_emerging_industries', 'Aerospace', '航空航天'),
    ('financial_services', 'strategic_emerging_industries', 'Financial services', '金融服务业'),
    ('cultural_creative', 'strategic_emerging_industries', 'Cultural and creative industries', '文化创意产业'),
    ('two_cities_two_belts', 'key_zones', "Development of the 'two cities, two belts'", '“两城两带”建设'),
    ('six_high_four_new', 'key_zones', "Development of the 'six high, four new' zones", '“六高四新”建设'),
    ('major_municipal_projects', 'major_projects', 'Major municipal projects', '全市重大项目'),
    ('key_engineering_works', 'major_projects', 'Key engineering works', '重点工程'),
    ('key_disciplines', 'major_projects', 'Key disciplines', '重点学科'),
    ('key_laboratories', 'major_projects', 'Key laboratories', '重点实验室'),
    ('research_institutes', 'joint_research_bases', 'Jointly built research institutes', '研究院'),
    ('rd_bases', 'joint_research_bases', 'Jointly built R&D bases', '研发基地'),
    ('engineering_centres', 'joint_research_bases', 'Jointly built engineering centres', '工程中心'),
    ('city_operation_management', 'city_operation', 'City operation and management', '城市运行管理'),
    ('transport_system', 'city_operation', 'The transport system', '交通体系'),
    ('ecological_environment', 'city_operation', 'Ecological environment', '生态环境'),
    ('resource_conservation', 'city_operation', 'Resource conservation and use', '资源节约和利用'),
)

# (code, zone_group, name, name_zh); zone_group is ``two_cities_two_belts`` or ``six_high_four_new``
ZONES = (
    ('zgc_science_city', 'two_cities_two_belts', 'Zhongguancun Science City', '中关村科学城'),
    ('future_science_city', 'two_cities_two_belts', 'Future Science City', '未来科技城'),
    ('northern_rd_belt', 'two_cities_two_belts', 'Northern R&D belt', '北部研发服务和高新技术产业发展带'),
    ('southern_hightech_belt', 'two_cities_two_belts', 'Southern high-tech manufacturing belt', '南部高技术制造业和战略性新兴产业发展带'),
    ('zgc_demonstration_zone', 'six_high_four_new', 'Zhongguancun National Innovation Demonstration Zone', '中关村国家自主创新示范区'),
    ('beijing_etdz', 'six_high_four_new', 'Beijing Economic-Technological Development Area', '北京经济技术开发区'),
    ('cbd', 'six_high_four_new', 'Central Business District', '商务中心区'),
    ('financial_street', 'six_high_four_new', 'Financial Street', '金融街'),
    ('olympic_central_area', 'six_high_four_new', 'Olympic Central Area', '奥林匹克中心区'),
    ('airport_economic_zone', 'six_high_four_new', 'Airport Economic Zone', '临空经济区'),
    ('tongzhou_business_area', 'six_high_four_new', 'Tongzhou high-end business area', '通州高端商务服务区'),
    ('new_shougang', 'six_high_four_new', 'New Shougang high-end industrial area', '新首钢高端产业综合服务区'),
    ('lize_financial_district', 'six_high_four_new', 'Lize financial business district', '丽泽金融商务区'),
    ('huairou_culture_tech', 'six_high_four_new', 'Huairou culture-and-technology area', '怀柔文化科技高端产业新区'),
)


def upgrade() -> None:
    focus_areas = op.create_table(
        "taxonomy_focus_areas",
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("number", sa.Integer, nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_zh", sa.String(100), nullable=False),
    )
    fields = op.create_table(
        "taxonomy_fields",
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("focus_area", sa.String(50), sa.ForeignKey("taxonomy_focus_areas.code"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_zh", sa.String(100), nullable=False),
    )
    zones = op.create_table(
        "taxonomy_zones",
        sa.Column("code", sa.String(50), primary_key=True),
        sa.Column("zone_group", sa.String(50), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_zh", sa.String(100), nullable=False),
    )
    op.bulk_insert(focus_areas, [dict(zip(("code", "number", "name", "name_zh"), row, strict=True)) for row in FOCUS_AREAS])
    op.bulk_insert(fields, [dict(zip(("code", "focus_area", "name", "name_zh"), row, strict=True)) for row in FIELDS])
    op.bulk_insert(zones, [dict(zip(("code", "zone_group", "name", "name_zh"), row, strict=True)) for row in ZONES])


def downgrade() -> None:
    op.drop_table("taxonomy_zones")
    op.drop_table("taxonomy_fields")
    op.drop_table("taxonomy_focus_areas")
