"""R-FIELD (Art. 5): the five focus areas, their fields, and the zones — reference data owned by directory.

The codes are the vocabulary every service uses (catalogue entries, applications, events);
a migration ships them into the directory's tables.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class FocusArea(NamedTuple):
    code: str
    number: int
    name: str
    name_zh: str


class Field(NamedTuple):
    code: str
    focus_area: str
    name: str
    name_zh: str


class Zone(NamedTuple):
    code: str
    group: str
    """``two_cities_two_belts`` or ``six_high_four_new``."""
    name: str
    name_zh: str


FOCUS_AREAS: tuple[FocusArea, ...] = (
    FocusArea("strategic_emerging_industries", 1, "Strategic emerging industries, financial services, "
              "cultural and creative industries", "战略性新兴产业、金融服务业、文化创意产业"),
    FocusArea("key_zones", 2, "The 'two cities, two belts' and the 'six high, four new' zones",
              "“两城两带”、“六高四新”"),
    FocusArea("major_projects", 3, "Major municipal projects, key engineering works, key disciplines and "
              "key laboratories", "重大项目、重点工程、重点学科、重点实验室"),
    FocusArea("joint_research_bases", 4, "Research institutes, R&D bases and engineering centres built jointly "
              "by government, universities/institutes and enterprises", "政产学研共建的研究院、研发基地和工程中心"),
    FocusArea("city_operation", 5, "City operation and management, transport, ecological environment, resource "
              "conservation and use", "城市运行管理、交通、生态环境、资源节约利用"),
)

FIELDS: tuple[Field, ...] = (
    Field("new_generation_it", "strategic_emerging_industries", "New-generation information technology", "新一代信息技术"),
    Field("biomedicine", "strategic_emerging_industries", "Biomedicine", "生物医药"),
    Field("new_energy", "strategic_emerging_industries", "New energy", "新能源"),
    Field("energy_saving_environmental", "strategic_emerging_industries",
          "Energy saving and environmental protection", "节能环保"),
    Field("new_energy_vehicles", "strategic_emerging_industries", "New-energy vehicles", "新能源汽车"),
    Field("new_materials", "strategic_emerging_industries", "New materials", "新材料"),
    Field("high_end_equipment", "strategic_emerging_industries", "High-end equipment manufacturing", "高端装备制造"),
    Field("aerospace", "strategic_emerging_industries", "Aerospace", "航空航天"),
    Field("financial_services", "strategic_emerging_industries", "Financial services", "金融服务业"),
    Field("cultural_creative", "strategic_emerging_industries", "Cultural and creative industries", "文化创意产业"),
    Field("two_cities_two_belts", "key_zones", "Development of the 'two cities, two belts'", "“两城两带”建设"),
    Field("six_high_four_new", "key_zones", "Development of the 'six high, four new' zones", "“六高四新”建设"),
    Field("major_municipal_projects", "major_projects", "Major municipal projects", "全市重大项目"),
    Field("key_engineering_works", "major_projects", "Key engineering works", "重点工程"),
    Field("key_disciplines", "major_projects", "Key disciplines", "重点学科"),
    Field("key_laboratories", "major_projects", "Key laboratories", "重点实验室"),
    Field("research_institutes", "joint_research_bases", "Jointly built research institutes", "研究院"),
    Field("rd_bases", "joint_research_bases", "Jointly built R&D bases", "研发基地"),
    Field("engineering_centres", "joint_research_bases", "Jointly built engineering centres", "工程中心"),
    Field("city_operation_management", "city_operation", "City operation and management", "城市运行管理"),
    Field("transport_system", "city_operation", "The transport system", "交通体系"),
    Field("ecological_environment", "city_operation", "Ecological environment", "生态环境"),
    Field("resource_conservation", "city_operation", "Resource conservation and use", "资源节约和利用"),
)

ZONES: tuple[Zone, ...] = (
    Zone("zgc_science_city", "two_cities_two_belts", "Zhongguancun Science City", "中关村科学城"),
    Zone("future_science_city", "two_cities_two_belts", "Future Science City", "未来科技城"),
    Zone("northern_rd_belt", "two_cities_two_belts", "Northern R&D belt", "北部研发服务和高新技术产业发展带"),
    Zone("southern_hightech_belt", "two_cities_two_belts", "Southern high-tech manufacturing belt",
         "南部高技术制造业和战略性新兴产业发展带"),
    Zone("zgc_demonstration_zone", "six_high_four_new", "Zhongguancun National Innovation Demonstration Zone",
         "中关村国家自主创新示范区"),
    Zone("beijing_etdz", "six_high_four_new", "Beijing Economic-Technological Development Area", "北京经济技术开发区"),
    Zone("cbd", "six_high_four_new", "Central Business District", "商务中心区"),
    Zone("financial_street", "six_high_four_new", "Financial Street", "金融街"),
    Zone("olympic_central_area", "six_high_four_new", "Olympic Central Area", "奥林匹克中心区"),
    Zone("airport_economic_zone", "six_high_four_new", "Airport Economic Zone", "临空经济区"),
    Zone("tongzhou_business_area", "six_high_four_new", "Tongzhou high-end business area", "通州高端商务服务区"),
    Zone("new_shougang", "six_high_four_new", "New Shougang high-end industrial area", "新首钢高端产业综合服务区"),
    Zone("lize_financial_district", "six_high_four_new", "Lize financial business district", "丽泽金融商务区"),
    Zone("huairou_culture_tech", "six_high_four_new", "Huairou culture-and-technology area", "怀柔文化科技高端产业新区"),
)

FIELDS_BY_CODE = {f.code: f for f in FIELDS}
ZONES_BY_CODE = {z.code: z for z in ZONES}
FOCUS_AREAS_BY_CODE = {a.code: a for a in FOCUS_AREAS}

FieldCode = StrEnum("FieldCode", {f.code: f.code for f in FIELDS})
"""R-FIELD field codes, for query parameters (an unknown code is a 422 naming the parameter)."""
FocusAreaCode = StrEnum("FocusAreaCode", {a.code: a.code for a in FOCUS_AREAS})


def field_problem(focus_area: str, field: str, zone: str | None = None) -> tuple[str, str] | None:
    """(the offending field name, why) if the codes are not a valid R-FIELD combination, else None."""
    if focus_area not in FOCUS_AREAS_BY_CODE:
        return "focus_area", f"unknown focus area {focus_area!r} (R-FIELD)"
    known = FIELDS_BY_CODE.get(field)
    if known is None:
        return "field", f"unknown field {field!r} (R-FIELD)"
    if known.focus_area != focus_area:
        return "field", f"field {field!r} belongs to focus area {known.focus_area!r}, not {focus_area!r} (R-FIELD)"
    if zone is not None and zone not in ZONES_BY_CODE:
        return "zone", f"unknown zone {zone!r} (R-FIELD)"
    return None


def known_field(field: str) -> str:
    """``field`` if it is an R-FIELD field code; else a ValueError saying so (for request validators)."""
    if field not in FIELDS_BY_CODE:
        raise ValueError(f"unknown field {field!r} (R-FIELD)")
    return field
