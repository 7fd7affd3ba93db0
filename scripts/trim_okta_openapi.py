"""Cut Okta's management OpenAPI spec down to the operations the live-org client uses.

    python scripts/trim_okta_openapi.py GIT_DIR [--commit REV] [--spec PATH] [--out FILE]

GIT_DIR is a clone (or bare mirror) of https://github.com/okta/okta-management-openapi-spec.
The result keeps the five operations (`listUsers`, `getUserSchema`, `listInlineHooks`,
`executeInlineHook`, `listLogEvents`) with every component they reach through `$ref`, followed
transitively, so no reference in the copy dangles (the full spec has dangling ones that mock
servers refuse). A reference the spec itself does not resolve becomes `{}` (any value) and is
listed under `x-trimmed.unresolved`. The copy records the repository, path and commit.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/okta/okta-management-openapi-spec"
SPEC_PATH = "dist/current/management-oneOfInheritance-noExamples.yaml"
OUT = ROOT / "tests" / "logic" / "data" / "okta-management-openapi.trimmed.json"
#: (path, method) of each operation used, as the spec names them.
OPERATIONS = (
    ("/api/v1/users", "get"),
    ("/api/v1/meta/schemas/user/{schemaId}", "get"),
    ("/api/v1/inlineHooks", "get"),
    ("/api/v1/inlineHooks/{inlineHookId}/execute", "post"),
    ("/api/v1/logs", "get"),
)


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True, text=True
    ).stdout


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with only OPERATIONS and what they reference."""
    kept_refs: set[str] = set()
    unresolved: set[str] = set()
    pending: list[Any] = []
    paths: dict[str, Any] = {}
    for path, method in OPERATIONS:
        item = spec["paths"][path]
        kept: dict[str, Any] = {method: item[method]}
        if "parameters" in item:
            kept["parameters"] = item["parameters"]
        paths[path] = kept
        pending.append(kept)
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref in kept_refs or ref in unresolved:
                    continue
                target = _resolve(spec, ref)
                if target is None:
                    unresolved.add(ref)
                    continue
                kept_refs.add(ref)
                pending.append(target)
            pending.extend(node.values())
    components: dict[str, dict[str, Any]] = {}
    for ref in sorted(kept_refs):
        parts = ref.removeprefix("#/").split("/")
        if parts[0] != "components" or len(parts) != 3:
            raise SystemExit(f"unexpected reference {ref}")
        components.setdefault(parts[1], {})[parts[2]] = _resolve(spec, ref)
    components["securitySchemes"] = spec["components"]["securitySchemes"]

    def blank_unresolved(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in unresolved:
                return {}
            return {key: blank_unresolved(value) for key, value in node.items()}
        if isinstance(node, list):
            return [blank_unresolved(value) for value in node]
        return node

    trimmed = {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec.get("servers", []),
        "paths": paths,
        "components": components,
    }
    trimmed = blank_unresolved(trimmed)
    trimmed["x-trimmed"] = {"unresolved": sorted(unresolved)}
    return trimmed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--spec", default=SPEC_PATH)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    import yaml

    commit = _git(args.git_dir, "rev-parse", args.commit).strip()
    text = _git(args.git_dir, "show", f"{commit}:{args.spec}")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(text, Loader=loader)
    trimmed = trim(spec)
    trimmed["x-trimmed"].update({"repository": REPOSITORY, "path": args.spec, "commit": commit})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(trimmed, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{args.out}: {len(trimmed['paths'])} paths, "
        f"{sum(len(v) for v in trimmed['components'].values())} components, "
        f"{len(trimmed['x-trimmed']['unresolved'])} unresolved references\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
