"""The committed SDKs are what the spec generates (scripts/sdk check), and the clients that
are not run against a live API are checked with Debian's toolchains, no third-party
download: Go compiled (`go vet`), Java compiled (`javac`; Jackson and Apache HttpCore come
inside OpenAPI Generator's own jar from the Python registry, httpmime and the jakarta
annotations from Debian), PHP (`php -l`) and Ruby (`ruby -c`) parsed. Each README's
example is checked the same way with its SDK. C# is only generated: Debian's C# compiler
(mono's mcs) cannot parse current C#, and .NET's SDK is not in Debian."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openapi_generator_cli
import pytest

from tests.integration.api.sdk_support import ROOT, SDK, readme_example, run

GENERATOR_JAR = Path(openapi_generator_cli.__file__).parent / "openapi-generator.jar"
DEBIAN_JARS = ["/usr/share/java/httpmime.jar", "/usr/share/java/jakarta-annotation-api.jar"]


def test_the_committed_sdks_are_what_the_spec_generates():
    done = subprocess.run(
        [str(ROOT / "scripts/sdk"), "check"],
        cwd=ROOT,
        env={**os.environ, "SDK_NO_SETUP": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"run scripts/sdk and commit sdk/:\n{done.stderr[-6000:]}"
    assert "sdk/ matches the spec" in done.stdout


def test_the_spec_file_is_the_one_the_api_serves(api_client):
    import json

    served = api_client.get("/api/v1/openapi.json").json()
    committed = json.loads((SDK / "openapi.json").read_text(encoding="utf-8"))
    assert committed.pop("servers") == [{"url": "/api/v1", "description": "This host"}]
    served.pop("servers", None)
    assert committed == served


def test_go_sdk_and_its_example_compile(tmp_path):
    (tmp_path / "main.go").write_text(readme_example("go", "go"), encoding="utf-8")
    (tmp_path / "go.mod").write_text(
        "module example\n\ngo 1.19\n\nrequire qrapp.dev/sdk/go v1.0.0\n\n"
        f"replace qrapp.dev/sdk/go => {SDK / 'go'}\n",
        encoding="utf-8",
    )
    # Nothing to download (the SDK uses the standard library only): the proxy is off.
    env = {
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOCACHE": os.environ.get("GOCACHE") or str(Path.home() / ".cache/go-build"),
    }
    run(["go", "vet", "./...", "qrapp.dev/sdk/go"], cwd=tmp_path, env=env)


def test_java_sdk_and_its_example_compile(tmp_path):
    for jar in DEBIAN_JARS:
        assert Path(jar).is_file(), f"{jar} is missing: ./scripts/test installs it with apt"
    (tmp_path / "Example.java").write_text(readme_example("java", "java"), encoding="utf-8")
    sources = sorted(str(p) for p in (SDK / "java/src/main/java").rglob("*.java"))
    classpath = os.pathsep.join([str(GENERATOR_JAR), *DEBIAN_JARS])
    run(
        [
            "javac",
            "-J-XX:TieredStopAtLevel=1",
            "-nowarn",
            "-proc:none",
            "-d",
            str(tmp_path / "classes"),
            "-cp",
            classpath,
            *sources,
            str(tmp_path / "Example.java"),
        ]
    )
    assert (tmp_path / "classes/dev/qrapp/client/api/CodesApi.class").is_file()
    assert (tmp_path / "classes/Example.class").is_file()


@pytest.mark.parametrize(
    ("language", "tool", "fence", "suffix"),
    [("php", ["php", "-l"], "php", ".php"), ("ruby", ["ruby", "-c"], "ruby", ".rb")],
)
def test_php_and_ruby_sdks_and_their_examples_parse(tmp_path, language, tool, fence, suffix):
    assert shutil.which(tool[0]), f"{tool[0]} is missing: ./scripts/test installs it with apt"
    example = tmp_path / f"example{suffix}"
    example.write_text(readme_example(language, fence), encoding="utf-8")
    files = [*sorted((SDK / language).rglob(f"*{suffix}")), example]
    assert len(files) > 20
    for path in files:  # each tool checks one file per run
        run([*tool, str(path)])
