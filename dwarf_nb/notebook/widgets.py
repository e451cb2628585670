"""The tradeoff explorer: move criterion weights and watch a decision's ranking change.

    from dwarf_nb.notebook.widgets import TradeoffExplorer
    TradeoffExplorer(shop, topic="language")

One slider per criterion of the selected decision; the ranking table, a bar per option's
weighted total and the sensitivity sentence follow every slider move. "Apply" writes the
top-ranked option back as a new Design (the decision's choice and weights recorded; for a
language decision the service's language switched too), hands it to `on_apply` and, when
the explorer was given a store, saves it as the design's next version.

Where no widget front end runs (nbconvert, nbmake, a plain console) the explorer still
shows a static ranking table: its MIME bundle carries `text/html` beside the widget view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import ipywidgets as w

from ..analysis import tradeoffs
from ..design import Decision, Design
from ..errors import DwarfError, InputError
from ..views import escape

# Sliders reach 2.5 × the largest weight, so any one criterion can be made to dominate
# whether weights are fractions summing to 1 or small integers.
SLIDER_SPAN = 2.5
BAR_CSS = "display:inline-block;height:0.9em;background:{color};width:{width:.1f}%"
WINNER_COLOR = "#2e7d32"
OTHER_COLOR = "#90a4ae"


def _explorable(decision: Decision) -> bool:
    """A live decision with scored options (a superseded one is history, not a choice)."""
    return decision.status in ("accepted", "proposed") and any(o.scores for o in decision.options)


def _label(decision: Decision) -> str:
    return f"{decision.topic}: {decision.subject}" if decision.subject else decision.title


class TradeoffExplorer:
    """Interactive weights for a design's decisions (ipywidgets 8), with a static fallback."""

    def __init__(
        self,
        design: Design,
        topic: Optional[str] = None,
        on_apply: Optional[Callable[[Design], object]] = None,
        store=None,
    ):
        wanted = {id(d) for d in (tradeoffs.decisions_for(design, topic) if topic else design.decisions)}
        self._indexes = [i for i, d in enumerate(design.decisions) if id(d) in wanted and _explorable(d)]
        if not self._indexes:
            where = f"for {topic!r} " if topic else ""
            raise InputError(f"design {design.name!r} has no decision {where}with options to compare")
        self.design = design
        self.on_apply = on_apply
        self.store = store
        self.weights: dict[str, float] = {}

        self.dropdown = w.Dropdown(
            options=[(_label(design.decisions[i]), i) for i in self._indexes],
            description="Decision",
            layout=w.Layout(width="auto"),
        )
        self.sliders: dict[str, w.FloatSlider] = {}
        self.slider_box = w.VBox()
        self.table = w.HTML()
        self.bars = w.HTML()
        self.sensitivity = w.HTML()
        self.apply_button = w.Button(description="Apply", button_style="success", icon="check")
        self.status = w.HTML()
        # Sliders beside the bars they move; the wide table gets the full width below.
        self.box = w.VBox(
            [
                w.HBox([self.dropdown, self.apply_button, self.status]),
                w.HBox([self.slider_box, self.bars], layout=w.Layout(flex_flow="row wrap")),
                self.sensitivity,
                self.table,
            ]
        )
        # Class names give the browser test (and custom CSS) stable handles.
        self.box.add_class("dwarf-tradeoff-explorer")
        self.table.add_class("dwarf-ranking")
        self.sensitivity.add_class("dwarf-sensitivity")

        self.dropdown.observe(self._on_decision, names="value")
        self.apply_button.on_click(lambda _button: self.apply())
        self._build_sliders()

    # -- state ----------------------------------------------------------------------------
    @property
    def decision(self) -> Decision:
        return self.design.decisions[self.dropdown.value]

    def _build_sliders(self) -> None:
        for slider in self.sliders.values():
            slider.close()
        self.weights = tradeoffs.effective_weights(self.decision)
        self.sliders = {}
        high = SLIDER_SPAN * max(self.weights.values(), default=0.0) or 1.0
        for criterion, weight in self.weights.items():
            slider = w.FloatSlider(
                value=weight,
                min=0.0,
                max=high,
                # No step: the browser would snap a weight like 0.1 to its step grid and
                # show (and, moving it, send back) a value the designer never chose.
                step=None,
                readout_format=".2f",
                description=criterion,
                continuous_update=True,
                style={"description_width": "120px"},
                layout=w.Layout(width="400px"),
            )
            slider.observe(self._on_weight, names="value")
            self.sliders[criterion] = slider
        self.slider_box.children = list(self.sliders.values())
        self._refresh()

    def _on_decision(self, _change) -> None:
        self.status.value = ""
        self._build_sliders()

    def _on_weight(self, _change) -> None:
        self.weights = {name: slider.value for name, slider in self.sliders.items()}
        self._refresh()

    def _refresh(self) -> None:
        self.table.value = self.table_html()
        self.bars.value = self.bars_html()
        self.sensitivity.value = f"<p>{escape.html(self.sensitivity_line())}</p>"

    # -- what the views show -----------------------------------------------------------------
    def ranking(self) -> list[tuple[str, float]]:
        """(option, weighted total) under the current weights, best first."""
        return tradeoffs.rank(self.decision, self.weights)

    def sensitivity_line(self) -> str:
        return tradeoffs.sensitivity(self.decision, self.weights).line

    def table_html(self) -> str:
        frame = tradeoffs.decision_table(self.decision, self.weights)
        return tradeoffs.styled(frame).to_html()

    def bars_html(self) -> str:
        ranking = self.ranking()
        top = max((total for _, total in ranking), default=0.0) or 1.0
        rows = []
        for place, (name, total) in enumerate(ranking):
            color = WINNER_COLOR if place == 0 else OTHER_COLOR
            width = max(total, 0.0) / top * 100
            rows.append(
                f'<tr><td style="padding-right:0.5em">{escape.html(name)}</td>'
                f'<td style="width:240px"><span style="{BAR_CSS.format(color=color, width=width)}"></span></td>'
                f"<td>{total:.2f}</td></tr>"
            )
        return '<table class="dwarf-bars">' + "".join(rows) + "</table>"

    def static_html(self) -> str:
        """What a page without widgets shows: the selected decision's ranking and verdict."""
        return (
            f"<div><h4>{escape.html(self.decision.title)}</h4>{self.table_html()}"
            f"<p>{escape.html(self.sensitivity_line())}</p></div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"{self.decision.title}: {self.sensitivity_line()}"
        return bundle

    # -- apply -------------------------------------------------------------------------------
    def apply(self) -> Design:
        """Record the top-ranked option as the decision's choice in a new Design version."""
        winner = self.ranking()[0][0]
        if winner == self.decision.chosen:  # the weights moved, the choice did not: nothing to record
            self.status.value = (f"{escape.html(_label(self.decision))}: {escape.html(winner)} stays the choice, "
                                 "so no version was saved")
            return self.design
        index = self.dropdown.value
        decision = self.decision.model_copy(update={"chosen": winner, "weights": dict(self.weights)})
        decisions = list(self.design.decisions)
        decisions[index] = decision
        update: dict = {"decisions": decisions}
        if decision.topic == "language" and decision.subject in {s.name for s in self.design.services}:
            update["services"] = _switch_language(self.design, decision.subject, winner)
        new = Design.model_validate(self.design.model_copy(update=update).model_dump())
        self.design = new
        message = f"{escape.html(_label(decision))} → {escape.html(winner)}"
        if self.store is not None:
            version = _save(self.store, new, note=f"tradeoff explorer: {_label(decision)} -> {winner}")
            message += f" (saved as {escape.html(new.name)} v{version})"
        self.status.value = message
        if self.on_apply is not None:
            self.on_apply(new)
        return new


def _switch_language(design: Design, service: str, language: str) -> list:
    """The design's services with `service` moved to `language`.

    The offline designer's own change request does the switch, so the framework follows its
    knowledge of each language; only the services are taken from its answer, because the
    explorer's scored decision replaces the unscored one the request records.
    """
    import dwarf_nb

    if design.service(service).language.lower() == language.lower():
        return design.services
    try:
        return dwarf_nb.refine(design, f"switch {service} to {language}").services
    except DwarfError:  # a language the designer does not know: switch it, framework unknown
        return [
            s.model_copy(update={"language": language, "framework": ""}) if s.name == service else s
            for s in design.services
        ]


def _save(store, design: Design, note: str) -> int:
    """Save in a Store, or in the store file at a path (opened and closed here)."""
    from ..store import Store

    if isinstance(store, Store):
        return store.save(design, note=note)
    owned = Store(Path(store))
    try:
        return owned.save(design, note=note)
    finally:
        owned.close()
