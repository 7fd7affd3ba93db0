"""Copy the Sign-In Widget's texts the sign-up page needs from Okta's published translation files
into app/logic/person/widget_texts/<language>.json, one file per language.

    python scripts/extract_widget_texts.py GIT_DIR [--commit REV]

GIT_DIR is a clone (or bare mirror) of https://github.com/okta/okta-signin-widget; the files
read are `packages/@okta/i18n/src/properties/login.properties` and `login_<language>.properties`.
The keys are `app.logic.person.texts.REQUIRED_KEYS`; a key a file lacks stops the script.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.logic.person.texts import LANGUAGES, REQUIRED_KEYS, TEXTS_DIR  # noqa: E402

REPOSITORY = "https://github.com/okta/okta-signin-widget"
PROPERTIES_DIR = "packages/@okta/i18n/src/properties"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
_SIMPLE = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, text)


def parse_properties(text: str) -> dict[str, str]:
    """A Java .properties file: `key = value` lines, # or ! comments, \\uXXXX escapes and a
    trailing backslash continuing the value on the next line."""
    entries: dict[str, str] = {}
    lines = iter(text.splitlines())
    for raw in lines:
        line = raw.lstrip()
        if not line or line[0] in "#!":
            continue
        while line.endswith("\\") and not line.endswith("\\\\"):
            line = line[:-1] + next(lines, "").lstrip()
        match = re.match(r"((?:\\.|[^\s=:\\])+)\s*[=:]?\s*(.*)$", line)
        if match is None:
            continue
        entries[_unescape(match.group(1))] = _unescape(match.group(2))
    return entries


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(git_dir), *args], check=True, capture_output=True, text=True
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args(argv)
    commit = _git(args.git_dir, "rev-parse", args.commit).strip()
    for language in LANGUAGES:
        name = "login.properties" if language == "en" else f"login_{language}.properties"
        path = f"{PROPERTIES_DIR}/{name}"
        entries = parse_properties(_git(args.git_dir, "show", f"{commit}:{path}"))
        missing = [key for key in REQUIRED_KEYS if key not in entries]
        if missing:
            print(f"{path}: no {', '.join(missing)}", file=sys.stderr)
            return 1
        document = {
            "_source": {
                "repository": REPOSITORY,
                "commit": commit,
                "file": path,
                "note": "Each key below is the key of the same name in that file, copied as is.",
            },
            "language": language,
            "texts": {key: entries[key] for key in REQUIRED_KEYS},
        }
        out = TEXTS_DIR / f"{language}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{out.relative_to(ROOT)}: {len(REQUIRED_KEYS)} texts from {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
