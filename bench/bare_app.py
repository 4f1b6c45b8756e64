"""The bare baseline: FastAPI + SQLAlchemy inserting one row per request, nothing else.

``python -m bench.bare_app --port P --database-url postgresql+asyncpg://...`` serves
``POST /bare/v1/items`` (a validated JSON body, one INSERT, 201 with the id) under uvicorn: what a service
endpoint costs before authentication, audit, outbox, problem details and middleware. Its engine has the
services' pool size and overflow (their defaults) and SQLAlchemy's own check of a pooled connection,
``pool_pre_ping`` (a ping on every checkout), which is what a bare endpoint configured for production
uses. The services check a pooled connection their own way (``shared.db``: a ping only after a second
idle); that saving is the platform's and counts in its favour (docs/performance.md §1 gives the ratio
against a bare endpoint that checks nothing as well).
"""

from __future__ import annotations

import argparse
import contextlib
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import create_async_engine

from shared.settings import ServiceSettings

metadata = sa.MetaData()
items = sa.Table(
    "bare_items", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


class Item(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


def create_app(database_url: str) -> FastAPI:
    fields = ServiceSettings.model_fields  # the services' own defaults, so the two pools stay alike
    engine = create_async_engine(database_url, pool_size=fields["database_pool_size"].default,
                                 max_overflow=fields["database_max_overflow"].default, pool_pre_ping=True)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)  # a throwaway baseline table, not a service schema
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine

    @app.get("/bare/readyz")
    async def ready() -> dict:
        return {"status": "ready"}

    @app.post("/bare/v1/items", status_code=201)
    async def create(item: Item) -> dict:
        row_id = uuid.uuid4()
        async with engine.begin() as conn:
            await conn.execute(sa.insert(items).values(id=row_id, name=item.name, body=item.model_dump(mode="json"),
                                                       created_at=datetime.now(UTC)))
        return {"id": str(row_id)}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(args.database_url), host="127.0.0.1", port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
