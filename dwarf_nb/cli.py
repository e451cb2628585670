"""`dwarf-nb`: a thin command line over the library (same functions as the magics).

Exit codes: 0 success, 1 an internal or agent failure (or lint errors), 2 bad input.
Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from .errors import DwarfError, InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: one line, exit 2
        raise InputError(f"{message} (see 'dwarf-nb --help')")


def _read_text(source: str, limit_mb: Optional[float]) -> str:
    """The text of a file (or standard input), refused up front past the size limit."""
    from .limits import MAX_INPUT_MB, check_size

    what = "standard input" if source == "-" else source
    if source == "-":
        limit = MAX_INPUT_MB if limit_mb is None else limit_mb
        data = sys.stdin.buffer.read(int(limit * 1_000_000) + 1) if limit > 0 else b""
        check_size(len(data), what, limit_mb, "--max-input-mb", whole=False)
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"no such file: {source}")
        if path.is_dir():
            raise InputError(f"{source} is a folder, not a file")
        try:
            check_size(path.stat().st_size, what, limit_mb, "--max-input-mb")
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"cannot read {source}: {err.strerror}") from None
    try:
        # A byte-order mark (Windows editors write one) is not part of the text.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text") from None


def _read_design(args):
    from pydantic import ValidationError

    from .design import Design, validation_problems

    text = _read_text(args.file, args.max_input_mb)
    try:
        try:
            return Design.model_validate_json(text)
        except ValidationError as err:
            if err.errors()[0]["type"] != "json_invalid":
                raise
            # pydantic's parser stops at an escaped lone surrogate ("\ud800") without saying
            # so; Python's reads it, and validation then names the field that holds it.
            try:
                data = json.loads(text)
            except ValueError:
                raise err from None
            return Design.model_validate(data)
    except ValidationError as err:
        raise InputError(f"{args.file} is not a valid design: {validation_problems(err)[0]}") from None


def _cmd_design(args) -> int:
    from . import design as make_design
    from .agents import check_text

    text = check_text(_read_text(args.file, args.max_input_mb))
    options = {key: getattr(args, key) for key in ("timeout", "max_retries", "max_tokens") if getattr(args, key) is not None}
    if args.model:
        options["model"] = args.model
    if args.agent:
        options["agent_file"] = args.agent
    if args.no_cache:
        options["use_cache"] = False
    if args.dry_run:
        from . import estimate

        print(estimate(text, name=args.name, backend=args.backend, max_input_mb=args.max_input_mb, **options).line())
        return 0
    progress = (lambda line: print(line, file=sys.stderr)) if args.verbose else None
    d = make_design(text, name=args.name, max_input_mb=args.max_input_mb, backend=args.backend, progress=progress, **options)
    if args.output:
        written = d.export(args.output, force=args.force, formats=tuple(args.format))
        for path in written:
            print(path, file=sys.stderr)
    if args.json:
        print(d.to_json())
    elif not args.output:
        from .views.text import summary

        print(summary(d))
    return 0


def _cmd_brief(args) -> int:
    from . import brief
    from .views.brief import to_text

    b = brief(_read_text(args.file, args.max_input_mb), max_input_mb=args.max_input_mb)
    print(b.model_dump_json(indent=2) if args.json else to_text(b))
    return 0


def _cmd_schema(args) -> int:
    from .design import Design

    print(json.dumps(Design.model_json_schema(), indent=2))
    return 0


def _cmd_lint(args) -> int:
    d = _read_design(args)
    suppress = dict(s.split("=", 1) if "=" in s else (s, "accepted on the command line") for s in args.suppress)
    report = d.lint(suppress=suppress)
    print(report.to_json() if args.json else report.to_text())
    return 1 if report.errors else 0


def _cmd_export(args) -> int:
    d = _read_design(args)
    for path in d.export(args.directory, force=args.force, formats=tuple(args.format)):
        print(path)
    return 0


def _cmd_map(args) -> int:
    d = _read_design(args)
    out = d.service_map(format=args.format, direction=args.direction)
    if isinstance(out, bytes):
        sys.stdout.buffer.write(out)
    else:
        print(out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="dwarf-nb", description="Design a backend architecture from a requirements text.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    reads = _Parser(add_help=False)
    reads.add_argument("--max-input-mb", type=float, metavar="MB",
                       help="refuse an input file larger than this (default: 2)")

    d = sub.add_parser("design", parents=[reads], help="design a backend from a requirements text")
    d.add_argument("file", help="requirements file, or - for standard input")
    d.add_argument("--json", action="store_true", help="print the Design as JSON")
    d.add_argument("--name", help="design name (a slug); derived from the text if omitted")
    d.add_argument("--backend", default="offline", choices=["offline", "anthropic"])
    d.add_argument("--model", help="model for the anthropic backend")
    d.add_argument("--agent", help="agent file (Claude Code subagent format) for the anthropic backend")
    d.add_argument("--no-cache", action="store_true", help="ask the model again even if the answer is cached")
    d.add_argument("-o", "--output", help="export BACKEND_DESIGN.md and artifacts into this folder")
    d.add_argument("--force", action="store_true", help="overwrite exported files that were edited by hand")
    d.add_argument("--format", action="append", choices=["md", "html"], default=None, help="document format(s)")
    d.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="anthropic backend: seconds to wait for each model answer")
    d.add_argument("--max-retries", type=int, metavar="N", help="anthropic backend: retries of a failed call")
    d.add_argument("--max-tokens", type=int, metavar="N", help="anthropic backend: output tokens an answer may use")
    d.add_argument("--dry-run", action="store_true",
                   help="anthropic backend: count the request's tokens and print the estimated cost, design nothing")
    d.add_argument("-v", "--verbose", action="store_true", help="show progress on stderr")
    d.set_defaults(func=_cmd_design)

    b = sub.add_parser("brief", parents=[reads], help="print what the offline reader understands of a requirements text")
    b.add_argument("file", help="requirements file (front matter allowed), or - for standard input")
    b.add_argument("--json", action="store_true", help="print the Brief as JSON")
    b.set_defaults(func=_cmd_brief)

    s = sub.add_parser("schema", help="print the Design JSON Schema")
    s.set_defaults(func=_cmd_schema)

    l = sub.add_parser("lint", parents=[reads], help="review a design.json and list findings")
    l.add_argument("file", help="design.json, or - for standard input")
    l.add_argument("--json", action="store_true")
    l.add_argument("--suppress", action="append", default=[], metavar="ID[=REASON]", help="accept a finding")
    l.set_defaults(func=_cmd_lint)

    e = sub.add_parser("export", parents=[reads], help="export a design.json as BACKEND_DESIGN.md and artifacts")
    e.add_argument("file")
    e.add_argument("directory")
    e.add_argument("--force", action="store_true")
    e.add_argument("--format", action="append", choices=["md", "html"], default=None)
    e.set_defaults(func=_cmd_export)

    m = sub.add_parser("map", parents=[reads], help="draw a design.json's service map")
    m.add_argument("file")
    m.add_argument("--format", default="svg", choices=["svg", "png", "mermaid"])
    m.add_argument("--direction", default="LR", choices=["LR", "TB", "RL", "BT"])
    m.set_defaults(func=_cmd_map)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "format", None) is None and args.command in ("design", "export"):
            args.format = ["md"]
        return args.func(args)
    except DwarfError as err:
        from .views.escape import one_line

        print(f"dwarf-nb: {one_line(err)}", file=sys.stderr)  # a quoted value may hold a line break
        return err.exit_code
    except KeyboardInterrupt:
        print("dwarf-nb: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # an internal failure: still one line, with where to report it
        print(f"dwarf-nb: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
