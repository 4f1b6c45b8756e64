"""The embedded platform serves the console at /console/ and the combined OpenAPI at /openapi.json."""

from __future__ import annotations

import httpx

from embedded.app import create_embedded_app, service_settings
from embedded.console import IMMUTABLE, REVALIDATE, ConsoleSite


def _dist(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><div id="root"></div><script src="/console/assets/app-1a2b.js">')
    (dist / "assets" / "app-1a2b.js").write_text("console.log('console')")
    return dist


async def _client(tmp_path, console):
    app = create_embedded_app(tmp_path, settings=service_settings(tmp_path), console=console)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://embedded")


async def test_console_pages_fall_back_to_index_assets_are_immutable_and_config_says_how_to_sign_in(tmp_path):
    console = ConsoleSite(dist=_dist(tmp_path), config={"sign_in": "local"})
    async with await _client(tmp_path, console) as client:
        redirected = await client.get("/console")
        assert redirected.status_code == 308 and redirected.headers["location"] == "/console/"
        for path in ("/console/", "/console/applications/8d1f/edit", "/console/reviews/formal?state=x"):
            page = await client.get(path)
            assert page.status_code == 200, path
            assert 'id="root"' in page.text and page.headers["cache-control"] == REVALIDATE
        asset = await client.get("/console/assets/app-1a2b.js")
        assert asset.status_code == 200 and asset.headers["cache-control"] == IMMUTABLE
        again = await client.get("/console/assets/app-1a2b.js", headers={"If-None-Match": asset.headers["etag"]})
        assert again.status_code == 304
        # A script of an older build is a 404, never the index page in its place.
        gone = await client.get("/console/assets/app-0000.js")
        assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
        config = await client.get("/console/config.json")
        assert config.json() == {"sign_in": "local"} and config.headers["cache-control"] == "no-cache"


async def test_console_not_built_is_a_503_saying_how_to_build_it_and_the_apis_still_answer(tmp_path):
    console = ConsoleSite(dist=tmp_path / "no-dist", config={"sign_in": "local"})
    async with await _client(tmp_path, console) as client:
        page = await client.get("/console/", headers={"Accept": "text/html"})
        assert page.status_code == 503 and "make console" in page.text
        problem = await client.get("/console/", headers={"Accept": "application/json"})
        assert problem.status_code == 503 and "make console" in problem.json()["detail"]
        assert (await client.get("/directory/healthz")).status_code == 200


async def test_openapi_json_is_the_five_services_in_one_document_with_its_etag(tmp_path):
    async with await _client(tmp_path, None) as client:
        document = await client.get("/openapi.json")
        assert document.status_code == 200
        paths = document.json()["paths"]
        assert {path.split("/")[1] for path in paths} == {"intake", "review", "subsidy", "permits", "directory"}
        application = paths["/intake/v1/applications/{application_id}"]["get"]
        assert "ETag" in application["responses"]["200"]["headers"]
        unchanged = await client.get("/openapi.json", headers={"If-None-Match": document.headers["etag"]})
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert (await client.get("/console/")).status_code == 404  # no console given: not served
