"""User-facing errors: one clear line each, never a traceback.

Surfaces translate them: the magics raise `IPython.core.error.UsageError(str(err))`,
the CLI prints `dwarf-nb: <message>` on stderr and exits with `err.exit_code`.
"""


class DwarfError(Exception):
    """A problem the user can fix; its message is one line that says how."""

    exit_code = 2


class InputError(DwarfError):
    """The requirements text, a file or an option is not usable."""


class DesignError(DwarfError):
    """A design (from a file or a model) does not satisfy the Design contract."""


class AgentError(DwarfError):
    """An agent could not produce a design (network, API, model output)."""

    exit_code = 1


class ExportConflict(DwarfError):
    """An export would overwrite a file the user edited, or write outside its folder."""


class ToolMissing(DwarfError):
    """A system tool (graphviz's `dot`, PostgreSQL) is not installed."""


class MapError(DwarfError):
    """graphviz could not draw the service map of a design."""

    exit_code = 1

