"""The generated Python and TypeScript clients against a live API: `python -m qrapp.api` as
production runs it, on the test database. Each README's example runs as written (make a
code, read its scans), then the client reads a code that has scans, lists, and meets an
error (another workspace's code: a 404 problem document)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Iterator

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import QRCode
from tests.integration.api.sdk_support import ROOT, SDK, readme_example, run, typescript_dir
from tests.support.processes import free_port, start, stop, wait_http
from tests.support.scans import Scan, record_scans

pytestmark = pytest.mark.integration

SCOPES = ["codes:read", "codes:write", "analytics:read"]


@pytest.fixture(scope="module")
def live_api(backend, tmp_path_factory) -> Iterator[str]:
    """One API process per backend for this module (each test makes its own key)."""
    env = {k: str(v) for k, v in backend.items() if k.isupper()}
    env["PYTHONPATH"] = str(ROOT)
    port = free_port()
    log = tmp_path_factory.mktemp("api") / "api.log"
    proc = start([sys.executable, "-m", "qrapp.api", "--port", str(port)], env, log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/api/v1/openapi.json", 60, proc, log)
        yield url
    finally:
        stop(proc)


@pytest.fixture
def scanned(world) -> dict:
    """A's code with three scans in the last days (two from Sweden, one from Norway)."""
    now = dt.datetime.now(dt.UTC)
    code_id = world["a_code"].id
    record_scans(
        Scan(code_id, now - dt.timedelta(hours=30)),
        Scan(code_id, now - dt.timedelta(hours=20)),
        Scan(code_id, now - dt.timedelta(hours=2), country="NO", city="Oslo"),
    )
    return world


def _made_by_the_example(world) -> QRCode:
    with read_session() as s:
        made = s.exec(select(QRCode).where(QRCode.name == "Spring poster")).all()
    assert len(made) == 1
    code = made[0]
    assert code.workspace_id == world["a_owner"].workspace_id
    assert code.destination == "https://example.com/spring"
    assert code.is_dynamic
    return code


def test_the_python_client(scanned, make_key, live_api, tmp_path):
    world = scanned
    key = make_key(world["a_owner"], SCOPES)
    example = tmp_path / "example.py"
    example.write_text(readme_example("python", "python"), encoding="utf-8")
    env = {
        "QRAPP_URL": live_api,
        "QRAPP_KEY": key,
        "PYTHONPATH": str(SDK / "python"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    out = run([sys.executable, str(example)], env=env, timeout=120).stdout.splitlines()
    made = _made_by_the_example(world)
    assert out == [f"created {made.id} {_short_url(made)}", "scans in the last 30 days: 0"]

    sys.path.insert(0, str(SDK / "python"))
    try:
        _python_client_reads(world, key, live_api)
    finally:
        sys.path.remove(str(SDK / "python"))


def _short_url(code: QRCode) -> str:
    from qrapp.services import hosts

    return hosts.short_url(code)


def _python_client_reads(world, key: str, url: str) -> None:
    from qrapp_client import AuthenticatedClient
    from qrapp_client.api.analytics import get_code_analytics, list_scans
    from qrapp_client.api.codes import get_code, list_codes
    from qrapp_client.models import Analytics, Code, CodePage, Problem, ScanPage

    client = AuthenticatedClient(base_url=f"{url}/api/v1", token=key)
    code_id = world["a_code"].id
    code = get_code.sync(code_id, client=client)
    assert isinstance(code, Code)
    assert (code.name, code.total_scans) == ("Poster a", 3)

    page = list_codes.sync(client=client)
    assert isinstance(page, CodePage)
    assert sorted(c.name for c in page.items) == ["Poster a", "Spring poster"]
    assert page.next_cursor is None

    stats = get_code_analytics.sync(code_id, client=client)
    assert isinstance(stats, Analytics)
    assert stats.totals.scans == 3
    countries = {row.value: row.scans for row in stats.breakdowns.additional_properties["country"]}
    assert countries == {"SE": 2, "NO": 1}

    scans = list_scans.sync(client=client, code=[code_id], limit=2)
    assert isinstance(scans, ScanPage)
    assert [s.country for s in scans.items] == ["SE", "SE"]  # oldest first
    rest = list_scans.sync(client=client, code=[code_id], limit=2, cursor=scans.next_cursor)
    assert isinstance(rest, ScanPage)
    assert [(s.country, s.city) for s in rest.items] == [("NO", "Oslo")]
    assert rest.next_cursor is None

    theirs = get_code.sync_detailed(world["b_code"].id, client=client)
    assert theirs.status_code == 404
    assert isinstance(theirs.parsed, Problem)
    assert theirs.parsed.status == 404


# What the TypeScript test runs after the README's example: the same reads as the Python
# client's, printed as JSON for the test to check.
TS_READS = """
import { AnalyticsApi, CodesApi, Configuration, ResponseError } from "@qrapp/client";

const config = new Configuration({
  basePath: `${process.env.QRAPP_URL}/api/v1`,
  accessToken: process.env.QRAPP_KEY,
});
const codes = new CodesApi(config);
const analytics = new AnalyticsApi(config);

async function main(): Promise<void> {
  const codeId = process.env.CODE_ID!;
  const code = await codes.getCode({ codeId });
  const page = await codes.listCodes({});
  const stats = await analytics.getCodeAnalytics({ codeId });
  const first = await analytics.listScans({ code: [codeId], limit: 2 });
  const rest = await analytics.listScans({ code: [codeId], limit: 2, cursor: first.nextCursor! });
  let missing = 0;
  try {
    await codes.getCode({ codeId: process.env.THEIR_CODE_ID! });
  } catch (err) {
    if (!(err instanceof ResponseError)) throw err;
    const problem = await err.response.json();
    missing = problem.status;
  }
  console.log(JSON.stringify({
    name: code.name,
    totalScans: code.totalScans,
    createdIsDate: code.createdAt instanceof Date,
    listed: page.items.map((c) => c.name).sort(),
    scans: stats.totals.scans,
    countries: first.items.concat(rest.items).map((s) => s.country),
    restCursor: rest.nextCursor,
    missing,
  }));
}

main().catch((err) => { console.error(err); process.exit(1); });
"""

TSCONFIG = {
    "compilerOptions": {
        "target": "es2020",
        "module": "commonjs",
        "moduleResolution": "node",
        "strict": True,
        "lib": ["es2020", "dom"],
        "types": ["node"],
        "typeRoots": [],
        "outDir": "dist",
        "skipLibCheck": False,
    },
    "files": ["example.ts", "reads.ts"],
}


# Once per run (on PostgreSQL + Redis, as production): what it tests is the client, and
# compiling it takes the time.
@pytest.mark.production
def test_the_typescript_client(scanned, make_key, live_api, tmp_path):
    world = scanned
    tools = typescript_dir()
    tsc = str(tools / "node_modules/typescript/bin/tsc")
    # The package built as `npm install` builds it (its own tsconfig), where node finds it.
    package = tmp_path / "node_modules/@qrapp/client"
    shutil.copytree(SDK / "typescript", package)
    run(["node", tsc, "-p", str(package / "tsconfig.json")])
    assert (package / "dist/index.d.ts").is_file()

    (tmp_path / "example.ts").write_text(readme_example("typescript", "typescript"), "utf-8")
    (tmp_path / "reads.ts").write_text(TS_READS, encoding="utf-8")
    config = json.loads(json.dumps(TSCONFIG))
    config["compilerOptions"]["typeRoots"] = [str(tools / "node_modules/@types")]
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    run(["node", tsc, "-p", str(tmp_path / "tsconfig.json")])

    key = make_key(world["a_owner"], SCOPES)
    env = {"QRAPP_URL": live_api, "QRAPP_KEY": key}
    out = run(["node", "dist/example.js"], cwd=tmp_path, env=env, timeout=120).stdout
    made = _made_by_the_example(world)
    assert out.splitlines() == [
        f"created {made.id} {_short_url(made)}",
        "scans in the last 30 days: 0",
    ]

    env |= {"CODE_ID": str(world["a_code"].id), "THEIR_CODE_ID": str(world["b_code"].id)}
    reads = json.loads(run(["node", "dist/reads.js"], cwd=tmp_path, env=env).stdout)
    assert reads == {
        "name": "Poster a",
        "totalScans": 3,
        "createdIsDate": True,
        "listed": ["Poster a", "Spring poster"],
        "scans": 3,
        "countries": ["SE", "SE", "NO"],
        "restCursor": None,
        "missing": 404,
    }
