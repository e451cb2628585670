"""`%%dwarf` and `%dwarf …`: the notebook surface over dwarf_nb's Python API.

    %load_ext dwarf_nb

    %%dwarf shop
    Online shop for 50k daily users: catalog, cart, orders, card payments ...

The cell designs (or, with --refine, changes) a backend, keeps every version in the
history store beside the notebook, binds the Design to a notebook variable and shows
it. The line magic reads that history: list, show, history, diff, tradeoffs, lint,
map, export, help.

Settings are traitlets (`%config DwarfMagics.backend = "anthropic"`), optionally read
first from `[tool.dwarf_nb]` in the project's pyproject.toml. Every user error
becomes a one-line `UsageError`. This module imports only IPython and traitlets so
`%load_ext dwarf_nb` stays fast; the designer, pydantic, pandas and graphviz load
when a cell needs them.
"""

from __future__ import annotations

import keyword
import os
import re
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.utils.process import arg_split
from traitlets import Bool, CaselessStrEnum, Dict, Enum, Float, Int, List, TraitError, Unicode, Union
from traitlets.config import Configurable

from ..errors import DwarfError, InputError
from ..views.escape import html as escape_html
from ..views.escape import one_line
from .config import project_settings

# `{{var}}` (an identifier, optional inner spaces) is the one way to reach a notebook
# variable from a cell; single braces stay literal so JSON and code pass through.
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

HELP = """\
%%dwarf [NAME] [--backend B] [--refine] [--no-map] [--model M] [--timeout S] [--max-retries N] [--max-tokens N]
        [--no-cache] [--dry-run] [-o VAR]
    Design a backend from the requirements in the cell body and show it.
    The design is saved as a new version of NAME in the history store
    (.dwarf/designs.db beside the notebook) and bound to the variable NAME
    (or VAR). Without NAME the designer picks one from the text.
    --refine    apply the cell as a change request to the existing design NAME
    --backend   offline (default, no network) or anthropic
    --no-map    leave the service map out of the display
    --timeout, --max-retries   for the anthropic backend: seconds to wait for each
                answer, and how often a failed call is tried again
    --max-tokens  for the anthropic backend: output tokens an answer may use
    --dry-run   count the anthropic call's tokens and print its estimated cost; design nothing
    --model     the anthropic backend's model for this cell (else DwarfMagics.model, then ANTHROPIC_MODEL)
    --no-cache  ask the model again instead of reusing an answer already paid for
    Braces in the cell are passed on literally (JSON, code samples). Write {{var}}
    to insert the value of the notebook variable `var`; it is inserted once, as is.
    Correct what the designer reads with YAML front matter at the top of the cell:
        ---
        team: 2
        hosting: self-hosted
        needs: {keyword_search: false}
        ---
    (keys: {fact_keys})

%dwarf list                          designs in the history store
%dwarf show NAME[@vN]                show a design (latest, or version N)
%dwarf history NAME                  versions of a design
%dwarf diff NAME [V1 V2]             what changed (default: the last two versions)
%dwarf brief NAME[@vN]               what the designer read: facts, status, evidence
%dwarf tradeoffs NAME [--topic T] [--weights performance=3,dev_speed=1] [--widget]
%dwarf lint NAME [--suppress ID[=REASON]]   architecture review findings
%dwarf map NAME [--format svg|png|mermaid] [--direction LR|TB|RL|BT]
%dwarf export NAME [DIR] [--force] [--format md|html]   BACKEND_DESIGN.md and artifacts
%dwarf help                          this text

Settings: %config DwarfMagics (backend, model, agent_file, store_path, direction,
show_map, fallback, max_retries, timeout, max_tokens, max_input_mb, use_cache, suppress), or the same keys
under [tool.dwarf_nb] in pyproject.toml; %config wins."""


def _user_errors(func):
    """DwarfErrors are the user's to fix: show them as one-line UsageErrors."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DwarfError as err:
            raise UsageError(one_line(err)) from None

    return wrapper


def _parse(func, argstring: str):
    """Options of `func` (a @magic_arguments function); any mistake is one UsageError line."""
    usage = one_line(func.parser.format_usage()).removeprefix("::").strip()
    try:
        # Shell quoting where the shell has it, so 'a reason with spaces' loses its quotes.
        return func.parser.parse_args(arg_split(argstring, posix=os.name == "posix", strict=True))
    except UsageError as err:
        raise UsageError(f"{one_line(err)}; usage: {usage}") from None
    except ValueError as err:  # shlex: an unclosed quote
        raise UsageError(f"cannot read the options ({err}); usage: {usage}") from None


def _latest(store, name: str):
    """(version, Design) of the newest stored version of `name`, or None."""
    try:
        version = store.latest_version(name)
    except InputError:
        return None
    return version, store.load(name, version)


def _requests_so_far(store, name: str) -> list[str]:
    """The change requests of a design's stored versions, oldest first."""
    try:
        versions = store.history(name)
    except InputError:  # a design that lives only in a variable
        return []
    return [v.note for v in versions if v.note and v.note != "designed"]


def _weights(text: str | None) -> dict[str, float] | None:
    """'performance=3,dev_speed=1' -> {'performance': 3.0, 'dev_speed': 1.0}."""
    if not text:
        return None

    def weight(item: str) -> tuple[str, float]:
        key, _, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not key.strip() or number is None:
            raise InputError(f"--weights: {item!r} is not CRITERION=NUMBER (e.g. performance=3,dev_speed=1)")
        return key.strip(), number

    return dict(weight(item) for item in filter(None, (part.strip() for part in text.split(","))))


def _suppress_items(items) -> dict[str, str]:
    """Accepted findings from a list of 'ID' / 'ID=REASON' or a {ID: REASON} mapping."""
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    accepted = {}
    for item in items:
        key, _, reason = str(item).partition("=")
        accepted[key.strip()] = reason.strip() or "accepted in the notebook"
    return accepted


def _variable(name: str) -> str:
    """The notebook variable a design name is bound to ('my-shop' -> my_shop)."""
    return name.replace("-", "_")


def _version_number(text: str) -> int:
    digits = text.lower().removeprefix("v")
    if not digits.isdigit():
        raise InputError(f"{text!r} is not a version number; write 2 or v2")
    return int(digits)


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> dict:
    """A small table as plain text and as HTML (every cell escaped: notes are user text)."""
    from ..views import escape

    head = "".join(f"<th>{escape.html(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape.html(c)}</td>" for c in row) + "</tr>" for row in rows)
    return {
        "text/plain": "\n".join("  ".join(row) for row in rows),
        "text/html": f"<table><tr>{head}</tr>{body}</table>",
    }


def _display(bundle: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True)


@magics_class
class DwarfMagics(Magics, Configurable):
    """The `%%dwarf` cell magic and the `%dwarf` line magic (see `%dwarf help`)."""

    backend = Unicode("offline", help="Designer used by %%dwarf: offline (no network) or anthropic.").tag(config=True)
    model = Unicode(None, allow_none=True, help="Model for the anthropic backend (its default when unset).").tag(
        config=True
    )
    agent_file = Unicode(
        None, allow_none=True, help="Agent definition (Claude Code subagent format) for the anthropic backend."
    ).tag(config=True)
    store_path = Unicode(
        ".dwarf/designs.db", help="History store of every design version, relative to the notebook's folder."
    ).tag(config=True)
    direction = CaselessStrEnum(
        ("LR", "TB", "RL", "BT"), default_value="LR", help="Direction of the service map."
    ).tag(config=True)
    show_map = Bool(True, help="Draw the service map when a design is shown.").tag(config=True)
    fallback = Enum(
        ("offline",), default_value=None, allow_none=True, help="'offline' to design offline when the model is unreachable."
    ).tag(config=True)
    max_retries = Int(None, allow_none=True, min=0, help="Retries of a failed model call (agent default when unset).").tag(
        config=True
    )
    timeout = Float(None, allow_none=True, min=0, help="Seconds to wait for a model answer (agent default when unset).").tag(
        config=True
    )
    max_tokens = Int(None, allow_none=True, min=1, help="Output tokens a model answer may use (agent default when unset).").tag(
        config=True
    )
    max_input_mb = Float(2.0, min=0.001, help="Largest requirements text a cell may hold, in megabytes.").tag(
        config=True
    )
    use_cache = Bool(True, help="Reuse a model answer already paid for instead of asking again.").tag(config=True)
    suppress = Union(
        [Dict(), List(Unicode())],
        default_value={},
        help="Review findings the team accepted: a list of ids or {id: reason}.",
    ).tag(config=True)

    def __init__(self, shell=None, **kwargs):
        super().__init__(shell=shell, **kwargs)
        try:
            self._apply_project_settings(Path.cwd())
        except DwarfError as err:
            raise UsageError(one_line(err)) from None

    def _apply_project_settings(self, start: Path) -> None:
        """[tool.dwarf_nb] values, except those %config (or a config file) already set."""
        path, settings = project_settings(start)
        configured = set(self.config.get(type(self).__name__, {}))
        valid = sorted(self.class_trait_names(config=True))
        for key, value in settings.items():
            if key not in valid:
                raise InputError(f"{path}: unknown setting {key!r} in [tool.dwarf_nb]; valid: {', '.join(valid)}")
            if key in configured:
                continue
            try:
                setattr(self, key, value)
            except TraitError as err:
                raise InputError(f"{path}: [tool.dwarf_nb] {key} = {value!r} is not valid: {one_line(err)}") from None

    # -- helpers ----------------------------------------------------------------------
    @contextmanager
    def _store(self, write: bool = False):
        """The history store; reading commands never create its file (an empty one stands in)."""
        from ..store import Store

        path = self.store_path
        store = Store(path if write or Path(path).exists() else ":memory:")
        try:
            yield store
        finally:
            store.close()

    def _interpolate(self, text: str) -> str:
        """Insert `{{var}}` values once (a value's own braces are not expanded again)."""
        namespace = self.shell.user_ns

        def value(match: re.Match) -> str:
            name = match.group(1)
            if name not in namespace:
                raise UsageError(f"{{{{{name}}}}} names no notebook variable: define {name} first")
            return str(namespace[name])

        return _VARIABLE.sub(value, text)

    def _resolve(self, ref: str, store):
        """The design `ref` names: the Design variable the cell bound it to, else the store's."""
        from ..design import Design
        from ..store import parse_ref

        name, version = parse_ref(ref)
        current = self.shell.user_ns.get(_variable(name))
        if version is None and isinstance(current, Design):
            return current
        return store.load(ref)

    def _agent_options(self, backend: str, store) -> dict:
        if backend == "offline":
            return {}
        options = {"use_cache": self.use_cache, "store": store}
        for key in ("model", "agent_file", "max_retries", "timeout", "max_tokens", "fallback"):
            if getattr(self, key) is not None:
                options[key] = getattr(self, key)
        return options

    def _cell_options(self, args, backend: str, store) -> dict:
        """The agent's options for one cell: the settings, with the cell's own options on top."""
        options = self._agent_options(backend, store)
        options.update({key: getattr(args, key) for key in ("model", "timeout", "max_retries", "max_tokens")
                        if getattr(args, key) is not None})
        if args.no_cache:
            options["use_cache"] = False
        return options

    def _bundle(self, design, version: int | None = None, show_map: bool | None = None) -> dict:
        from ..views.display import mimebundle

        return mimebundle(
            design,
            show_map=self.show_map if show_map is None else show_map,
            direction=self.direction,
            suppress=_suppress_items(self.suppress),
            version=version,
        )

    # -- %%dwarf ----------------------------------------------------------------------
    @no_var_expand
    @cell_magic("dwarf")
    @magic_arguments("%dwarf")  # the usage line adds one more %
    @argument("name", nargs="?", metavar="NAME", help="design name (a slug); also the variable it is bound to")
    @argument("--backend", metavar="B", help="offline or anthropic (default: DwarfMagics.backend)")
    @argument("--refine", action="store_true", help="apply the cell as a change request to the design NAME")
    @argument("--no-map", action="store_true", help="leave the service map out of the display")
    @argument("--model", metavar="M", help="model for the anthropic backend (default: DwarfMagics.model)")
    @argument("--timeout", type=float, metavar="S", help="seconds to wait for each model answer (anthropic)")
    @argument("--max-retries", type=int, metavar="N", help="retries of a failed model call (anthropic)")
    @argument("--max-tokens", type=int, metavar="N", help="output tokens a model answer may use (anthropic)")
    @argument("--dry-run", action="store_true", help="count the model call's tokens and its cost; design nothing")
    @argument("--no-cache", action="store_true", help="ask the model again even if the answer is cached (anthropic)")
    @argument("-o", "--output", dest="var", metavar="VAR", help="bind the design to VAR instead of NAME")
    @_user_errors
    def dwarf_cell(self, line: str, cell: str):
        """Design a backend from the requirements in the cell body (see `%dwarf help`).

        Braces reach the designer literally; `{{var}}` inserts a notebook variable once.
        """
        import dwarf_nb

        from ..agents import check_name, check_text
        from ..limits import check_text_size
        from .progress import ProgressLine

        args = _parse(self.dwarf_cell, line)
        check_text_size(cell, self.max_input_mb, "%config DwarfMagics.max_input_mb", "the cell")
        text = check_text(self._interpolate(cell))
        check_text_size(text, self.max_input_mb, "%config DwarfMagics.max_input_mb", "the cell with its {{variables}} filled in")
        check_name(args.name)
        if args.refine and args.name is None:
            raise InputError("--refine needs the NAME of the design to change, e.g. %%dwarf shop --refine")
        if args.var is not None and (not args.var.isidentifier() or keyword.iskeyword(args.var)):
            raise InputError(f"-o {args.var!r} is not a Python variable name")
        if args.var is None and args.name is not None and keyword.iskeyword(_variable(args.name)):
            raise InputError(f"{args.name!r} is a Python keyword, so no variable can hold the design: add -o VAR")
        backend = args.backend or self.backend
        if args.dry_run:
            if args.refine:
                raise InputError("--dry-run counts a new design's tokens; it does not go with --refine")
            with self._store() as store:
                options = self._cell_options(args, backend, store)
                line = dwarf_nb.estimate(text, name=args.name, backend=backend, max_input_mb=self.max_input_mb,
                                         **options).line()
            _display({"text/plain": line, "text/html": f'<div class="dwarf-usage">{escape_html(line)}</div>'})
            return
        what = f"changing {args.name}" if args.refine else f"designing {args.name or 'a backend'}"
        progress = ProgressLine(f"{what} with the {backend} backend")
        try:
            with self._store(write=True) as store:
                current = self._resolve(args.name, store) if args.refine else None
                options = self._cell_options(args, backend, store)
                if current is not None:
                    result = dwarf_nb.refine(current, text, backend=backend, progress=progress,
                                             max_input_mb=self.max_input_mb, history=_requests_so_far(store, current.name),
                                             **options)
                else:
                    result = dwarf_nb.design(text, name=args.name, backend=backend, progress=progress,
                                             max_input_mb=self.max_input_mb, **options)
                note = one_line(text) if current is not None else "designed"  # the whole request, for the next one
                previous = _latest(store, result.name)
                unchanged = previous is not None and previous[1] == result
                # An identical cell run again adds no version: the store keeps what changed.
                version = previous[0] if unchanged else store.save(result, note=note)
        except BaseException:
            progress.clear()
            raise
        self.shell.user_ns[args.var or _variable(result.name)] = result
        bundle = self._bundle(result, version, show_map=False if args.no_map else None)
        if unchanged:
            from ..views.display import with_note

            bundle = with_note(bundle, f"unchanged: {result.name} v{version} already holds this design, so no version was added")
        elif current is not None:  # what the change request changed, above the new version
            from ..analysis.diff import diff
            from ..views.display import with_changes

            before = f"{current.name} v{previous[0]}" if previous is not None else current.name
            bundle = with_changes(bundle, diff(current, result, labels=(before, f"{result.name} v{version}")))
        progress.replace(bundle)

    # -- %dwarf -----------------------------------------------------------------------
    @no_var_expand
    @line_magic("dwarf")
    @_user_errors
    def dwarf_line(self, line: str):
        """Read the design history: `%dwarf list|show|history|diff|tradeoffs|lint|map|export|help`."""
        command, _, rest = self._interpolate(line).strip().partition(" ")
        command = command or "help"
        handler = self._commands().get(command)
        if handler is None:
            raise UsageError(f"unknown subcommand {command!r}; use one of: {', '.join(self._commands())}")
        return handler(_parse(handler, rest))

    def _commands(self) -> dict:
        return {
            "list": self._list,
            "show": self._show,
            "history": self._history,
            "diff": self._diff,
            "brief": self._brief,
            "tradeoffs": self._tradeoffs,
            "lint": self._lint,
            "map": self._map,
            "export": self._export,
            "help": self._help,
        }

    @magic_arguments("dwarf list")
    def _list(self, args):
        """Designs in the history store, with their latest version."""
        with self._store() as store:
            latest = [store.history(name)[-1] for name in store.names()]
        if not latest:
            print(f"no designs in {self.store_path} yet: write a %%dwarf cell first")
            return
        rows = [(v.name, f"v{v.version}", v.backend, v.note) for v in latest]
        _display(_table(("design", "latest", "backend", "note"), rows))

    @magic_arguments("dwarf show")
    @argument("ref", metavar="NAME[@vN]")
    @argument("--no-map", action="store_true", help="leave the service map out")
    def _show(self, args):
        """Show a design: the latest version, or NAME@vN."""
        from ..store import parse_ref

        name, version = parse_ref(args.ref)
        with self._store() as store:
            design = self._resolve(args.ref, store)
            if version is None and design is not self.shell.user_ns.get(_variable(name)):
                version = store.latest_version(name)
        _display(self._bundle(design, version, show_map=False if args.no_map else None))

    @magic_arguments("dwarf history")
    @argument("name", metavar="NAME")
    def _history(self, args):
        """Every saved version of a design."""
        import datetime

        with self._store() as store:
            versions = store.history(args.name)
        rows = [
            (f"v{v.version}", datetime.datetime.fromtimestamp(v.created).strftime("%Y-%m-%d %H:%M"), v.backend,
             one_line(v.note, 120), v.usage)
            for v in versions
        ]
        _display(_table(("version", "saved", "backend", "note", "model usage"), rows))

    @magic_arguments("dwarf diff")
    @argument("name", metavar="NAME")
    @argument("versions", nargs="*", metavar="V", help="two versions to compare (default: the last two)")
    def _diff(self, args):
        """What changed between two versions of a design."""
        from ..analysis.diff import diff

        if len(args.versions) not in (0, 2):
            raise InputError("diff takes NAME alone (the last two versions) or NAME V1 V2")
        with self._store() as store:
            if args.versions:
                old, new = (_version_number(v) for v in args.versions)
            else:
                history = store.history(args.name)
                if len(history) < 2:
                    raise InputError(f"{args.name} has one version only: refine it first (%%dwarf {args.name} --refine)")
                old, new = history[-2].version, history[-1].version
            changes = diff(store.load(args.name, old), store.load(args.name, new),
                           labels=(f"{args.name} v{old}", f"{args.name} v{new}"))
        _display({"text/plain": changes.to_text(), "text/html": changes._repr_html_()})

    @magic_arguments("dwarf brief")
    @argument("ref", metavar="NAME[@vN]")
    def _brief(self, args):
        """What the designer read from the requirements: facts, their status and evidence."""
        from ..views.brief import to_html, to_text

        with self._store() as store:
            design = self._resolve(args.ref, store)
        _display({"text/plain": to_text(design.brief), "text/html": to_html(design.brief)})

    @magic_arguments("dwarf tradeoffs")
    @argument("ref", metavar="NAME[@vN]")
    @argument("--topic", default=None, help="languages, databases or another decision topic (default: both tables)")
    @argument("--weights", default=None, metavar="C=W,...", help="criterion weights, e.g. performance=3,dev_speed=1")
    @argument("--widget", action="store_true", help="sliders per criterion; Apply saves the winner as a new version")
    def _tradeoffs(self, args):
        """Weighted decision tables of a design, or the interactive explorer."""
        weights = _weights(args.weights)
        with self._store() as store:
            design = self._resolve(args.ref, store)
        if args.widget:
            if weights:
                raise InputError("--weights and --widget do not go together: the widget's sliders set the weights")
            from .widgets import TradeoffExplorer

            def bind(new) -> None:  # the Design the widget applied
                self.shell.user_ns[_variable(new.name)] = new

            # Returned, not displayed: the cell shows it, and `ex = %dwarf tradeoffs … --widget` keeps it.
            return TradeoffExplorer(design, topic=args.topic, on_apply=bind, store=self.store_path)
        from ..views.display import tradeoff_bundle

        topics = [args.topic] if args.topic else None
        _display(tradeoff_bundle(design, topics=topics, weights=weights))

    @magic_arguments("dwarf lint")
    @argument("ref", metavar="NAME[@vN]")
    @argument("--suppress", action="append", default=[], metavar="ID[=REASON]", help="accept a finding")
    def _lint(self, args):
        """The architecture review: findings by severity, accepted ones listed apart."""
        with self._store() as store:
            design = self._resolve(args.ref, store)
        accepted = {**_suppress_items(self.suppress), **_suppress_items(args.suppress)}
        report = design.lint(suppress=accepted)
        _display({"text/plain": report.to_text(), "text/html": report._repr_html_()})

    @magic_arguments("dwarf map")
    @argument("ref", metavar="NAME[@vN]")
    @argument("--format", default="svg", choices=("svg", "png", "mermaid"))
    @argument("--direction", default=None, choices=("LR", "TB", "RL", "BT"), help="default: DwarfMagics.direction")
    def _map(self, args):
        """The service map as SVG, PNG or a Mermaid flowchart."""
        import base64

        from ..views.display import fenced

        with self._store() as store:
            design = self._resolve(args.ref, store)
        out = design.service_map(format=args.format, direction=args.direction or self.direction)
        if args.format == "png":
            _display({"image/png": base64.b64encode(out).decode("ascii"), "text/plain": f"<service map of {design.name}>"})
        elif args.format == "svg":
            _display({"image/svg+xml": out, "text/plain": f"<service map of {design.name}>"})
        else:
            _display({"text/markdown": fenced(out, "mermaid"), "text/plain": out})

    @magic_arguments("dwarf export")
    @argument("ref", metavar="NAME[@vN]")
    @argument("directory", nargs="?", default=None, metavar="DIR", help="target folder (default: ./NAME)")
    @argument("--force", action="store_true", help="overwrite files that were edited by hand")
    @argument("--format", action="append", default=None, choices=("md", "html"), help="document format(s)")
    def _export(self, args):
        """Write BACKEND_DESIGN.md and its artifacts (SQL, OpenAPI, Compose, ADRs)."""
        with self._store() as store:
            design = self._resolve(args.ref, store)
        directory = Path(args.directory or design.name)
        written = design.export(directory, force=args.force, formats=tuple(args.format or ("md",)))
        from ..views.display import export_bundle

        _display(export_bundle(directory, written))

    @magic_arguments("dwarf help")
    def _help(self, args):
        """How to use %%dwarf and %dwarf."""
        import textwrap

        from ..agents.offline.reader.facts import keys

        listed = textwrap.fill(", ".join(keys()), width=78, subsequent_indent="    ")
        print(HELP.replace("{fact_keys}", listed))
