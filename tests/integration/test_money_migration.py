"""directory_0022 and intake_0006: salaries written as floats before it are exact money after it, every value kept (R-ROUNDING).

Rows are written at the previous revision the way that code wrote them (SQLite's NUMERIC affinity keeps a
REAL), then the migration runs and the rows are read back: exact text on SQLite, half-up from the float's
repr; unchanged NUMERIC(14, 2) on PostgreSQL. The experts' full-text index, which refers to rowids, still
finds the right expert afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from services.directory.app import MIGRATIONS_DIR
from services.directory.models import experts, postings
from services.intake.app import MIGRATIONS_DIR as INTAKE_MIGRATIONS
from services.intake.models import applications
from shared.migrations import downgrade, upgrade
from tests.support import infra

BEFORE, AFTER = "directory_0021", "directory_0022"

SALARIES = {
    "alpha": (850000.5, "850000.50"),
    "bravo": (1234.565, "1234.57"),  # the float is 1234.5649999...: half-up from its repr, as written
    "charlie": (0.1 + 0.2, "0.30"),  # 0.30000000000000004
    "delta": (999999999999.99, "999999999999.99"),  # more digits than a float keeps exactly
    "echo": (850000, "850000.00"),  # SQLite stored it as an INTEGER
    "foxtrot": (None, None),
}
RANGES = {"p1": ((12.345, 20000.1), ("12.35", "20000.10")), "p2": ((0, 1e6), ("0.00", "1000000.00"))}


def _expert_row(name: str, salary) -> dict:
    return {"id": uuid.uuid4().hex, "name": name, "nationality": "GB", "focus_area": "a", "field": "f",
            "status": "listed", "source": "officer", "skills": "[]", "languages": "[]", "salary": salary,
            "seeking": 0, "search_text": f"{name} expert", "at": "2026-12-01 00:00:00.000000"}


INSERT_EXPERT = sa.text(
    "INSERT INTO experts (id, name, nationality, focus_area, field, status, source, skills, languages, annual_salary, "
    "seeking, search_text, listed_at, updated_at) VALUES (:id, :name, :nationality, :focus_area, :field, :status, "
    ":source, :skills, :languages, :salary, :seeking, :search_text, :at, :at)")
INSERT_POSTING = sa.text(
    "INSERT INTO postings (id, employer_id, title, focus_area, field, skills, languages, requirements, term_start, "
    "term_end, salary_min, salary_max, status, posted_at, posted_by) VALUES (:id, :employer, :title, 'a', 'f', '[]', "
    "'[]', 'r', '2027-01-01', '2028-01-01', :low, :high, 'open', '2026-12-01 00:00:00.000000', 'officer')")


def _found(connection, word: str) -> list[str]:
    return list(connection.execute(sa.text(
        "SELECT e.name FROM experts_fts f JOIN experts e ON e.rowid = f.rowid WHERE experts_fts MATCH :word"),
        {"word": word}).scalars())


def test_sqlite_salaries_become_exact_text_half_up_from_each_float_and_the_search_index_still_holds(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url, BEFORE)
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(INSERT_EXPERT, [_expert_row(name, salary) for name, (salary, _) in SALARIES.items()])
            connection.execute(INSERT_POSTING, [{"id": uuid.uuid4().hex, "employer": uuid.uuid4().hex, "title": title,
                                                 "low": low, "high": high} for title, ((low, high), _) in RANGES.items()])
            # Deleting one makes the rowids differ from a fresh numbering: a rebuilt table would break the index.
            connection.execute(sa.text("DELETE FROM experts WHERE name = 'alpha'"))
            connection.execute(INSERT_EXPERT, _expert_row("alpha", 850000.5))
            before = dict(connection.execute(sa.text("SELECT name, typeof(annual_salary) FROM experts")).all())
        assert before["bravo"] == "real" and before["echo"] == "integer"

        upgrade(MIGRATIONS_DIR, url, AFTER)

        with engine.begin() as connection:
            stored = {name: (kind, text) for name, kind, text in connection.execute(
                sa.text("SELECT name, typeof(annual_salary), annual_salary FROM experts"))}
            ranges = {title: (low, high) for title, low, high in connection.execute(
                sa.text("SELECT title, salary_min, salary_max FROM postings"))}
            kinds = set(connection.execute(sa.text(
                "SELECT typeof(salary_min) || typeof(salary_max) FROM postings")).scalars())
            read = dict(connection.execute(sa.select(experts.c.name, experts.c.annual_salary)).all())
            found = {word: _found(connection, word) for word in ("alpha", "bravo", "delta")}
            connection.execute(INSERT_EXPERT, _expert_row("golf", "1.50"))  # the triggers still index new rows
            found_new = _found(connection, "golf")
            posting = connection.execute(sa.select(postings.c.salary_min, postings.c.salary_max)
                                         .where(postings.c.title == "p1")).one()

        assert stored == {name: (("null", None) if text is None else ("text", text))
                          for name, (_, text) in SALARIES.items()}
        assert ranges == {title: texts for title, (_, texts) in RANGES.items()} and kinds == {"texttext"}
        assert read["delta"] == Decimal("999999999999.99") and read["foxtrot"] is None
        assert found == {"alpha": ["alpha"], "bravo": ["bravo"], "delta": ["delta"]}
        assert found_new == ["golf"]
        assert tuple(posting) == (Decimal("12.35"), Decimal("20000.10"))

        downgrade(MIGRATIONS_DIR, url, BEFORE)

        with engine.begin() as connection:
            back = {name: (kind, value) for name, kind, value in connection.execute(
                sa.text("SELECT name, typeof(annual_salary), annual_salary FROM experts WHERE name != 'golf'"))}
            ranges_back = set(connection.execute(sa.text("SELECT salary_min, salary_max FROM postings")).all())
        assert back["bravo"] == ("real", 1234.57) and back["echo"] == ("integer", 850000)
        assert back["foxtrot"] == ("null", None)
        assert ranges_back == {(12.35, 20000.1), (0, 1000000)}
    finally:
        engine.dispose()


def test_a_stored_value_no_amount_can_be_stops_the_migration_before_it_changes_anything(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(MIGRATIONS_DIR, url, BEFORE)
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(INSERT_EXPERT, [_expert_row("kept", 1.5), _expert_row("huge", 12345678901234.5)])

        with pytest.raises(ValueError, match=r"experts\.annual_salary of [0-9a-f]{32} is 12345678901234\.5:"):
            upgrade(MIGRATIONS_DIR, url, AFTER)

        with engine.begin() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
            kinds = dict(connection.execute(sa.text("SELECT name, typeof(annual_salary) FROM experts")).all())
            columns = {c["name"]: str(c["type"]) for c in sa.inspect(connection).get_columns("experts")}
        assert version == BEFORE
        assert kinds == {"kept": "real", "huge": "real"}
        assert columns["annual_salary"] == "NUMERIC(14, 2)" and "annual_salary_exact" not in columns
    finally:
        engine.dispose()


@pytest.mark.postgres
async def test_postgresql_salaries_are_already_exact_and_stay_as_they_were():
    urls = await infra.create_databases(("directory",))
    url = urls["directory"]
    engine = create_async_engine(url)
    try:
        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url, BEFORE)
        async with engine.begin() as connection:
            await connection.execute(sa.text(
                "INSERT INTO experts (id, name, nationality, focus_area, field, status, source, skills, languages, "
                "annual_salary, seeking, search_text, listed_at, updated_at) VALUES (gen_random_uuid(), 'alpha', "
                "'GB', 'a', 'f', 'listed', 'officer', '[]', '[]', 999999999999.99, false, 'alpha', now(), now())"))

        await asyncio.to_thread(upgrade, MIGRATIONS_DIR, url, AFTER)

        async with engine.connect() as connection:
            salary = (await connection.execute(sa.select(experts.c.annual_salary))).scalar_one()
            kind = (await connection.execute(sa.text(
                "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns "
                "WHERE table_name = 'experts' AND column_name = 'annual_salary'"))).one()
        assert salary == Decimal("999999999999.99")
        assert tuple(kind) == ("numeric", 14, 2)
        await asyncio.to_thread(downgrade, MIGRATIONS_DIR, url, BEFORE)
    finally:
        await engine.dispose()
        await infra.drop_databases(urls)


# -- intake_0006: applications' salary, likewise -----------------------------------------------------------

INSERT_APPLICATION = sa.text(
    "INSERT INTO applications (id, employer_id, state, version, catalogue_entry_id, expert_id, candidate_name, "
    "nationality, passport_ciphertext, passport_key_version, passport_hash, date_of_birth, candidate_field, "
    "achievements, current_post, position, contract_start, contract_end, annual_salary, track, intent_date, "
    "submissions, created_at, updated_at) VALUES (:id, :id, 'draft', 1, :id, :id, :name, 'GB', x'00', 1, :id, "
    "'1970-01-02', 'f', 'a', 'p', 'p', '2027-01-01', '2029-12-31', :salary, 'haiju_long_term', '2026-11-01', 0, "
    "'2026-12-01 00:00:00.000000', '2026-12-01 00:00:00.000000')")
APPLICATION_SALARIES = {"alpha": (850000.5, "850000.50"), "bravo": (1234.565, "1234.57"),
                        "charlie": (0.1 + 0.2, "0.30"), "echo": (850000, "850000.00")}


def test_sqlite_application_salaries_become_exact_text_half_up_from_each_float(tmp_path):
    path = tmp_path / "intake.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(INTAKE_MIGRATIONS, url, "intake_0005")
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(INSERT_APPLICATION, [{"id": uuid.uuid4().hex, "name": name, "salary": salary}
                                                    for name, (salary, _) in APPLICATION_SALARIES.items()])
            # With the recommendations and history that refer to the applications, as the table is rebuilt.
            connection.execute(sa.text(
                "INSERT INTO application_history (application_id, action, actor, role, to_state, at) SELECT id, 'drafted', "
                "'x', 'employer', 'draft', created_at FROM applications"))
        upgrade(INTAKE_MIGRATIONS, url, "intake_0006")
        with engine.begin() as connection:
            stored = {name: (kind, text) for name, kind, text in connection.execute(
                sa.text("SELECT candidate_name, typeof(annual_salary), annual_salary FROM applications"))}
            history = connection.execute(sa.text("SELECT count(*) FROM application_history")).scalar_one()
            read = dict(connection.execute(sa.select(applications.c.candidate_name, applications.c.annual_salary)).all())
        assert stored == {name: ("text", text) for name, (_, text) in APPLICATION_SALARIES.items()}
        assert read == {name: Decimal(text) for name, (_, text) in APPLICATION_SALARIES.items()}
        assert history == len(APPLICATION_SALARIES)

        downgrade(INTAKE_MIGRATIONS, url, "intake_0005")
        with engine.begin() as connection:
            kinds = set(connection.execute(sa.text("SELECT typeof(annual_salary) FROM applications")).scalars())
        assert kinds <= {"real", "integer"}
    finally:
        engine.dispose()
