"""With CATALOGSVC_API_KEYS set: every job route asks for a key, and each key sees its own jobs."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from tests.conftest import ClientFactory, ServiceClient, write_papers
from tests.gated_extract import release

KEY_A, KEY_B = "key-of-alice", "key-of-bob"
A = {"Authorization": f"Bearer {KEY_A}"}
B = {"Authorization": f"Bearer {KEY_B}"}


async def keyed_client(client_factory: ClientFactory) -> ServiceClient:
    return await client_factory(api_keys=[SecretStr(KEY_A), SecretStr(KEY_B)])


async def finished_job_of_a(client: ServiceClient, papers_dir: Path) -> str:
    """A folder job of one paper, submitted with key A and run to its end."""
    write_papers(papers_dir, 1)
    created = await client.http.post("/api/jobs/folder", json={"path": str(papers_dir)}, headers=A)
    assert created.status_code == 202
    job_id: str = created.json()["id"]
    await client.wait_until_finished(job_id)
    return job_id


async def test_job_routes_without_a_known_key_are_401_and_health_is_open(
    client_factory: ClientFactory,
) -> None:
    client = await keyed_client(client_factory)
    for headers in ({}, {"Authorization": "Bearer not-a-key"}, {"Authorization": "Basic eDp5"}):
        response = await client.http.get("/api/jobs", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
        assert "CATALOGSVC_API_KEYS" in response.json()["detail"]
    assert (await client.http.get("/api/jobs/some-id/catalog")).status_code == 401
    assert (await client.http.get("/healthz")).status_code == 200
    assert (await client.http.get("/api/jobs", headers=A)).status_code == 200


async def test_each_key_sees_and_acts_on_its_own_jobs_only(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await keyed_client(client_factory)
    job_id = await finished_job_of_a(client, papers_dir)
    for method, path in (
        ("GET", f"/api/jobs/{job_id}"),
        ("GET", f"/api/jobs/{job_id}/papers"),
        ("GET", f"/api/jobs/{job_id}/catalog"),
        ("POST", f"/api/jobs/{job_id}/reclassify"),
        ("DELETE", f"/api/jobs/{job_id}"),
    ):
        response = await client.http.request(method, path, headers=B)
        assert response.status_code == 404, (method, path)
    others = await client.http.post("/api/jobs/cancel", json={"ids": [job_id]}, headers=B)
    assert others.json()["results"] == [{"id": job_id, "outcome": "not_found"}]

    assert (await client.http.get("/api/jobs", headers=B)).json()["items"] == []
    (own,) = (await client.http.get("/api/jobs", headers=A)).json()["items"]
    assert own["id"] == job_id
    assert own["status"] == "completed"
    papers = await client.http.get(f"/api/jobs/{job_id}/papers", headers=A)
    assert len(papers.json()) == 1
    reclassified = await client.http.post(f"/api/jobs/{job_id}/reclassify", headers=A)
    assert reclassified.status_code == 202
    assert (await client.http.get("/api/jobs", headers=B)).json()["items"] == []


async def test_a_key_in_the_query_serves_streams_and_downloads_a_browser_cannot_sign(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await keyed_client(client_factory)
    job_id = await finished_job_of_a(client, papers_dir)

    catalog = await client.http.get(f"/api/jobs/{job_id}/catalog?access_token={KEY_A}")
    assert catalog.status_code == 200
    assert b"On the Structure of Test Paper" in catalog.content
    events = await client.http.get(f"/api/jobs/{job_id}/events", params={"access_token": KEY_A})
    assert events.status_code == 200
    assert "completed" in events.text
    wrong = await client.http.get(f"/api/jobs/{job_id}/catalog?access_token={KEY_A}x")
    assert wrong.status_code == 401
    other = await client.http.get(f"/api/jobs/{job_id}/catalog?access_token={KEY_B}")
    assert other.status_code == 404
    # The web app's Library downloads its selections the same way.
    library = await client.http.get("/api/papers/catalog", params={"access_token": KEY_A})
    assert library.status_code == 200 and b"On the Structure of Test Paper" in library.content
    for_b = await client.http.get("/api/papers/catalog", params={"access_token": KEY_B})
    assert for_b.status_code == 200 and b"On the Structure of Test Paper" not in for_b.content


async def test_a_key_in_the_query_opens_no_other_route(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """A key in a URL lands in logs and histories, so only streams and downloads take one."""
    client = await keyed_client(client_factory)
    job_id = await finished_job_of_a(client, papers_dir)
    signed = {"access_token": KEY_A}
    for method, path, body in (
        ("GET", "/api/jobs", None),
        ("GET", f"/api/jobs/{job_id}", None),
        ("GET", f"/api/jobs/{job_id}/papers", None),
        ("GET", "/api/papers", None),
        ("POST", "/api/jobs/folder", {"path": str(papers_dir)}),
        ("POST", f"/api/jobs/{job_id}/reclassify", None),
        ("POST", "/api/jobs/cancel", {"ids": [job_id]}),
        ("DELETE", f"/api/jobs/{job_id}", None),
    ):
        response = await client.http.request(method, path, params=signed, json=body)
        assert response.status_code == 401, (method, path)
    (paper,) = papers_dir.glob("*.pdf")
    upload = await client.http.post(
        "/api/jobs", params=signed, files=[("files", (paper.name, paper.read_bytes()))]
    )
    assert upload.status_code == 401

    (only,) = (await client.http.get("/api/jobs", headers=A)).json()["items"]
    assert only["id"] == job_id


async def test_another_key_cannot_cancel_a_running_job(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    client = await keyed_client(client_factory)
    client.http.headers.update(A)
    job, gated = await client.start_held_job(papers_dir)

    alone = await client.http.post(f"/api/jobs/{job['id']}/cancel", headers=B)
    many = await client.http.post("/api/jobs/cancel", json={"ids": [job["id"]]}, headers=B)

    assert alone.status_code == 404
    assert many.json()["results"] == [{"id": job["id"], "outcome": "not_found"}]
    assert (await client.job(job["id"]))["status"] == "running"
    release(gated)
    assert (await client.wait_until_finished(job["id"]))["status"] == "completed"
