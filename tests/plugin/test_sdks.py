"""The SDKs `pulumi package gen-sdk` makes from the plugin's schema compile, and so do programs that use them.

None is checked in: each test generates its SDK from the installed plugin, through the real CLI, into a
temporary folder. TypeScript: the SDK compiles with `tsc` (its own tsconfig) against `@pulumi/pulumi` from the
npm registry, a program declaring the three resources type-checks, one missing a required input does not.
Go: a module using the SDK (through a `replace` of the schema's import path) builds against the Pulumi Go SDK
at the CLI's version. They skip only without their toolchain (node and npm; Go), never without the CLI.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from pulumi_search_extensions.plugin.schema import package_schema

from .sdks import gen_sdk, go_env, language_plugins, pulumi_cli, run

pytestmark = pytest.mark.e2e

TYPESCRIPT = "typescript@5.9.3"
NODE_TYPES = "@types/node@20.19.43"
"""Pinned so that a new compiler or Node typing cannot break the test; `@pulumi/pulumi` comes from the
generated package.json's range, as a user's install would resolve it."""


NO_NODE = "needs Node.js and npm on PATH (https://nodejs.org or the OS packages `nodejs` and `npm`)"
NO_GO = "needs Go >= 1.25 on PATH (https://go.dev/doc/install or the OS package `golang`)"

TS_PROGRAM = """\
import * as pulumi from "@pulumi/pulumi";
import * as searchext from "@search-extensions/pulumi";

const tagger = new searchext.coveo.Extension("tagger", {
    content: "document.add_meta_data({'team': ['search']})\\n",
    executionTimeout: 10,
    apiKey: pulumi.secret("xx-api-key"),
});
new searchext.coveo.SourceExtensions("docs", {
    sourceId: "myorg-docs",
    postConversion: [{ extensionId: tagger.extensionId, condition: "%[lang] == 'en'" }],
});
const synonyms = new searchext.elastic.Extension("synonyms", { extensionType: "bundle", version: "8.*" });
export const bundleUrl: pulumi.Output<string> = synonyms.url;
"""

TS_CONFIG = {
    "compilerOptions": {
        "strict": True,
        "outDir": "bin",
        "target": "ES2022",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "types": ["node"],
    },
    "files": ["index.ts"],
}
"""A program's tsconfig.json like `pulumi new typescript` makes, strict."""

TS_PROGRAM_MISSING_INPUT = """\
import * as searchext from "@search-extensions/pulumi";

new searchext.elastic.Extension("synonyms", { version: "8.*" });
"""

GO_PROGRAM = """\
package main

import (
\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
\t"{base}/coveo"
\t"{base}/elastic"
)

func main() {{
\tpulumi.Run(func(ctx *pulumi.Context) error {{
\t\ttagger, err := coveo.NewExtension(ctx, "tagger", &coveo.ExtensionArgs{{
\t\t\tContent:          pulumi.String("document.add_meta_data({{'team': ['search']}})\\n"),
\t\t\tExecutionTimeout: pulumi.Int(10),
\t\t\tApiKey:           pulumi.ToSecret(pulumi.String("xx-api-key")).(pulumi.StringOutput),
\t\t}})
\t\tif err != nil {{
\t\t\treturn err
\t\t}}
\t\t_, err = coveo.NewSourceExtensions(ctx, "docs", &coveo.SourceExtensionsArgs{{
\t\t\tSourceId:       pulumi.String("myorg-docs"),
\t\t\tPostConversion: coveo.AppliedExtensionArray{{coveo.AppliedExtensionArgs{{ExtensionId: tagger.ExtensionId}}}},
\t\t}})
\t\tif err != nil {{
\t\t\treturn err
\t\t}}
\t\tsynonyms, err := elastic.NewExtension(ctx, "synonyms", &elastic.ExtensionArgs{{
\t\t\tExtensionType: pulumi.String("bundle"),
\t\t\tVersion:       pulumi.String("8.*"),
\t\t}})
\t\tif err != nil {{
\t\t\treturn err
\t\t}}
\t\tctx.Export("bundleUrl", synonyms.Url)
\t\treturn nil
\t}})
}}
"""


def _node_toolchain() -> tuple[str, str]:
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if shutil.which("node") is None or npm is None or npx is None:
        pytest.skip(NO_NODE)
    return npm, npx


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the language plugins gen-sdk needs are (built once for this file when none is installed)."""
    return tmp_path_factory.mktemp("language-plugins")


def test_the_typescript_sdk_compiles_with_tsc_against_pulumi_from_npm(tmp_path: Path, plugins: Path) -> None:
    pulumi_cli()  # fails first when the CLI is missing, whatever else is
    npm, npx = _node_toolchain()
    sdk = gen_sdk("nodejs", tmp_path / "sdk", language_plugins("nodejs", plugins), tmp_path / "home")
    package = json.loads((sdk / "package.json").read_text())
    assert package["name"] == package_schema()["language"]["nodejs"]["packageName"]
    assert package["version"] == package_schema()["version"]

    run([npm, "install", "--no-audit", "--no-fund", "--save-dev", TYPESCRIPT, NODE_TYPES], cwd=sdk)
    run([npx, "tsc"], cwd=sdk)  # the generated tsconfig.json: strict
    for module in ("coveo/extension", "coveo/sourceExtensions", "elastic/extension", "provider"):
        assert (sdk / "bin" / f"{module}.d.ts").is_file(), module


def test_a_typescript_program_declaring_the_three_resources_type_checks(tmp_path: Path, plugins: Path) -> None:
    pulumi_cli()
    npm, npx = _node_toolchain()
    # What a user does: a local SDK, installed into the project from its folder (it compiles itself).
    sdk = gen_sdk("nodejs", tmp_path / "sdk", language_plugins("nodejs", plugins), tmp_path / "home", local=True)
    program = tmp_path / "program"
    program.mkdir()
    (program / "package.json").write_text(json.dumps({"name": "search-infra", "main": "index.ts"}))
    (program / "tsconfig.json").write_text(json.dumps(TS_CONFIG))
    install = [npm, "install", "--no-audit", "--no-fund", "--install-links", str(sdk), TYPESCRIPT, NODE_TYPES]
    run(install, cwd=program)
    installed = program / "node_modules" / package_schema()["language"]["nodejs"]["packageName"]
    assert (installed / "bin" / "index.d.ts").is_file(), "the SDK's postinstall did not compile it"

    (program / "index.ts").write_text(TS_PROGRAM)
    run([npx, "tsc"], cwd=program)
    assert (program / "bin" / "index.js").is_file()

    # ... and the types are real: leaving out a required input is a compile error naming it.
    (program / "index.ts").write_text(TS_PROGRAM_MISSING_INPUT)
    with pytest.raises(AssertionError, match="Property 'extensionType' is missing"):
        run([npx, "tsc"], cwd=program)


def test_the_go_sdk_and_a_program_using_it_build(tmp_path: Path, plugins: Path) -> None:
    pulumi_cli()
    go = shutil.which("go")
    if go is None:
        pytest.skip(NO_GO)
    out = tmp_path / "sdk"
    sdk = gen_sdk("go", out, language_plugins("go", plugins), tmp_path / "home")
    # The generated code needs the Pulumi Go SDK of its generator (v3.277.0's calls `ctx.ExistsResource`, which
    # v3.259.0 lacks): the CLI's release, which scripts/install-pulumi.sh built, hence in the module cache.
    pulumi_go_sdk = run([str(pulumi_cli()), "version"], cwd=tmp_path).strip()

    # The generated packages live at `<module>/go/<name>` of the import base path: that module, here at `out`.
    base = package_schema()["language"]["go"]["importBasePath"]
    module, _, package_dir = base.rpartition("/go/")
    assert (sdk / package_dir / "coveo" / "extension.go").is_file()
    (out / "go.mod").write_text(
        f"module {module}\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 {pulumi_go_sdk}\n"
    )

    program = tmp_path / "program"
    program.mkdir()
    (program / "go.mod").write_text(
        textwrap.dedent(
            f"""\
            module example.com/search-infra

            go 1.25

            require (
            \tgithub.com/pulumi/pulumi/sdk/v3 {pulumi_go_sdk}
            \t{module} v0.0.0
            )

            replace {module} => {out}
            """
        )
    )
    (program / "main.go").write_text(GO_PROGRAM.format(base=base))
    run([go, "mod", "tidy"], cwd=program, env=go_env())
    # -trimpath as the CLI build (scripts/install-pulumi.sh): the Pulumi SDK packages come from its build cache.
    run([go, "build", "-trimpath", "-o", str(tmp_path / "search-infra"), "."], cwd=program, env=go_env())
    assert (tmp_path / "search-infra").is_file()
