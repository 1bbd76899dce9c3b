"""Listing, paging, filters, deletes, folders and malformed requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ServiceClient, write_papers


async def test_history_is_newest_first_with_cursor_paging_and_status_filter(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    ids = []
    for _ in range(5):
        job = await client.folder_job(papers_dir)
        await client.wait_until_finished(job["id"])
        ids.append(job["id"])
    first = (await client.http.get("/api/jobs", params={"limit": 2})).json()
    second = (
        await client.http.get("/api/jobs", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    third = (
        await client.http.get("/api/jobs", params={"limit": 2, "cursor": second["next_cursor"]})
    ).json()

    seen = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert seen == list(reversed(ids))
    assert third["next_cursor"] is None
    completed = (await client.http.get("/api/jobs", params={"status": "completed"})).json()
    assert len(completed["items"]) == 5
    none = (
        await client.http.get("/api/jobs", params=[("status", "failed"), ("status", "cancelled")])
    ).json()
    assert none["items"] == []


async def test_malformed_list_requests_are_422_naming_the_field(client: ServiceClient) -> None:
    for params, field in (
        ({"limit": 501}, "limit"),
        ({"status": "sleeping"}, "status"),
        ({"cursor": "x"}, "cursor"),
        ({"cursor": "9" * 30}, "cursor"),
    ):
        response = await client.http.get("/api/jobs", params=params)
        assert response.status_code == 422, params
        assert field in response.json()["detail"][0]["loc"]


async def test_unknown_job_is_404_everywhere(client: ServiceClient) -> None:
    for method, path in (
        ("GET", "/api/jobs/nope"),
        ("GET", "/api/jobs/nope/files"),
        ("GET", "/api/jobs/nope/papers"),
        ("GET", "/api/jobs/nope/catalog"),
        ("POST", "/api/jobs/nope/resume"),
        ("POST", "/api/jobs/nope/reclassify"),
        ("DELETE", "/api/jobs/nope"),
        ("GET", "/api/jobs/nope/events"),
    ):
        response = await client.http.request(method, path)
        assert response.status_code == 404, (method, path)
        assert "nope" in response.json()["detail"]


async def test_folder_outside_the_allowed_roots_is_403_and_a_file_is_422(
    client: ServiceClient, tmp_path: Path, papers_dir: Path
) -> None:
    outside = await client.http.post("/api/jobs/folder", json={"path": str(tmp_path)})
    assert outside.status_code == 403
    (paper,) = write_papers(papers_dir, 1)
    not_folder = await client.http.post("/api/jobs/folder", json={"path": str(paper)})
    assert not_folder.status_code == 422
    assert not_folder.json()["detail"][0]["loc"][-1] == "path"
    escape = await client.http.post(
        "/api/jobs/folder", json={"path": str(papers_dir / ".." / "data")}
    )
    assert escape.status_code == 403


async def test_folder_paths_the_file_system_cannot_take_are_422_naming_the_path(
    client: ServiceClient, papers_dir: Path
) -> None:
    for path in (
        f"{papers_dir}/\x00",
        "~no-such-user-of-catalogsvc/papers",
        str(papers_dir / ("x" * 300)),
    ):
        response = await client.http.post("/api/jobs/folder", json={"path": path})
        assert response.status_code == 422, path
        assert response.json()["detail"][0]["loc"][-1] == "path"


async def test_a_body_that_cannot_be_parsed_is_422_naming_the_body(client: ServiceClient) -> None:
    for path in ("/api/jobs/folder", "/api/jobs/cancel"):
        response = await client.http.post(
            path, content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 422, path
        assert response.json()["detail"][0]["loc"] == ["body"]
    assert (await client.http.get("/api/no-such-route")).status_code == 404


async def test_upload_without_files_and_with_a_bad_taxonomy_are_422(
    client: ServiceClient, tmp_path: Path
) -> None:
    empty = await client.http.post("/api/jobs", data={"taxonomy": "research-fields"})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"][-1] == "files"
    (paper,) = write_papers(tmp_path, 1)
    bad = await client.http.post(
        "/api/jobs",
        files=[("files", (paper.name, paper.read_bytes()))],
        data={"taxonomy": "no-such-taxonomy"},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "taxonomy"


@pytest.mark.parametrize("route", ["/api/jobs", "/api/jobs/folder"])
async def test_a_deeply_nested_taxonomy_is_a_422_not_a_crash(
    client: ServiceClient, papers_dir: Path, route: str
) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    (paper,) = write_papers(papers_dir, 1)
    if route == "/api/jobs":
        response = await client.http.post(
            route, files=[("files", (paper.name, paper.read_bytes()))], data={"taxonomy": nested}
        )
    else:
        response = await client.http.post(route, json={"path": str(papers_dir), "taxonomy": nested})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "taxonomy"
    assert "nested too deeply" in response.json()["detail"][0]["msg"]


async def test_upload_over_the_size_limit_is_413_and_leaves_nothing(
    client_factory: object, tmp_path: Path
) -> None:
    from tests.conftest import ClientFactory

    assert callable(client_factory)
    factory: ClientFactory = client_factory
    client = await factory(max_upload_mb=1)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    response = await client.http.post("/api/jobs", files=[("files", (big.name, big.read_bytes()))])
    assert response.status_code == 413
    assert (await client.http.get("/api/jobs")).json()["items"] == []


async def test_delete_removes_a_finished_job_and_refuses_an_active_one(
    client: ServiceClient, tmp_path: Path
) -> None:
    (paper,) = write_papers(tmp_path, 1)
    response = await client.http.post(
        "/api/jobs", files=[("files", (paper.name, paper.read_bytes()))]
    )
    job = response.json()
    await client.wait_until_finished(job["id"])
    uploads = tmp_path / "data" / "uploads" / job["id"]
    assert uploads.exists()

    deleted = await client.http.delete(f"/api/jobs/{job['id']}")

    assert deleted.status_code == 204
    assert (await client.http.get(f"/api/jobs/{job['id']}")).status_code == 404
    assert not uploads.exists()


async def test_taxonomies_health_and_the_web_app_at_the_root(client: ServiceClient) -> None:
    taxonomies = (await client.http.get("/api/taxonomies")).json()
    names = {t["name"] for t in taxonomies}
    assert {"arxiv", "research-fields"} <= names
    assert all(t["categories"] for t in taxonomies)
    assert (await client.http.get("/healthz")).json() == {"status": "ok"}
    home = await client.http.get("/")
    assert home.status_code == 200
    assert "text/html" in home.headers["content-type"]


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/api/jobs/folder", '{"path": NaN}', "path"),
        ("/api/jobs/folder", '{"path": "/papers", "recursive": Infinity}', "recursive"),
        ("/api/jobs/folder", '{"path": "\\ud800"}', "path"),
        ("/api/jobs/cancel", '{"ids": ["\\udfff"]}', "ids"),
    ],
)
async def test_json_that_python_reads_but_cannot_write_back_is_a_422(
    client: ServiceClient, route: str, body: str, field: str
) -> None:
    """NaN, Infinity and lone surrogates parse; the 422 names the field without echoing them."""
    response = await client.http.post(
        route, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert field in error["loc"]
    assert "input" not in error


async def test_a_422_never_echoes_an_uploaded_file(client: ServiceClient, tmp_path: Path) -> None:
    (paper,) = write_papers(tmp_path, 1)
    huge_number = "9" * 5000  # more digits than Python's JSON reader converts
    response = await client.http.post(
        "/api/jobs",
        files=[("files", (paper.name, paper.read_bytes()))],
        data={"taxonomy": f'[{{"name": "A", "description": {huge_number}}}]'},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "taxonomy"
    assert len(response.content) < 1000


async def test_the_kind_filter_returns_only_jobs_of_that_kind(
    client: ServiceClient, papers_dir: Path
) -> None:
    """`?kind=process` lists the processing job alone and `?kind=reclassify` its
    reclassification alone, though both are in the history."""
    write_papers(papers_dir, 1)
    process = await client.folder_job(papers_dir)
    await client.wait_until_finished(process["id"])
    response = await client.http.post(f"/api/jobs/{process['id']}/reclassify", json={})
    assert response.status_code == 202, response.text
    reclassify = response.json()
    await client.wait_until_finished(reclassify["id"])

    everything = (await client.http.get("/api/jobs")).json()["items"]
    by_kind = {
        kind: (await client.http.get("/api/jobs", params={"kind": kind})).json()["items"]
        for kind in ("process", "reclassify")
    }

    assert [job["id"] for job in everything] == [reclassify["id"], process["id"]]
    assert [(job["id"], job["kind"]) for job in by_kind["process"]] == [(process["id"], "process")]
    assert [(job["id"], job["kind"]) for job in by_kind["reclassify"]] == [
        (reclassify["id"], "reclassify")
    ]


async def test_a_recursive_folder_job_reads_sub_folders_and_names_files_relative(
    client: ServiceClient, papers_dir: Path
) -> None:
    """With `recursive`, PDFs in sub-folders are read and shown by their path relative to the
    folder ("sub/deeper/paper2.pdf"); without it, only the folder's own PDFs are read."""
    top, middle, bottom = write_papers(papers_dir, 3)
    (papers_dir / "sub" / "deeper").mkdir(parents=True)
    middle.rename(papers_dir / "sub" / middle.name)
    bottom.rename(papers_dir / "sub" / "deeper" / bottom.name)

    flat = await client.folder_job(papers_dir)
    deep = await client.folder_job(papers_dir, recursive=True)
    for job in (flat, deep):
        assert (await client.wait_until_finished(job["id"]))["status"] == "completed"

    flat_files = await client.files_by_name(flat["id"])
    deep_files = await client.files_by_name(deep["id"])
    assert set(flat_files) == {top.name}
    assert set(deep_files) == {top.name, "sub/paper1.pdf", "sub/deeper/paper2.pdf"}
    assert {file["state"] for file in deep_files.values()} == {"done"}
    assert len(await client.papers(deep["id"])) == 3


async def test_a_folder_with_pdfs_only_in_sub_folders_says_to_ask_recursively(
    client: ServiceClient, papers_dir: Path
) -> None:
    (paper,) = write_papers(papers_dir, 1)
    (papers_dir / "dev").mkdir()
    paper.rename(papers_dir / "dev" / paper.name)

    response = await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)})

    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["body", "path"]
    assert problem["msg"] == (
        f'no PDF files in {papers_dir}; its subfolders have some: ask with "recursive": true'
    )
