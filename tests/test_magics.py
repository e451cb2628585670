"""`%%dwarf` on a real IPython shell: what lands in the namespace, the display and the store."""

from __future__ import annotations

import subprocess
import sys

from markupsafe import escape
from notebook_shell import SHOP, _shell, ip, load, run  # noqa: F401  (fixtures)

from dwarf_nb.design import Design
from dwarf_nb.store import Store
from dwarf_nb.views.display import DESIGN_MIME


def shop_cell(ip, header: str = "shop", text: str = SHOP):
    return run(ip, f"%%dwarf {header}\n{text}")


def test_shop_cell_binds_saves_and_shows_the_design(ip, in_tmp):
    ran = shop_cell(ip)
    assert ran.error is None, ran.stdout
    shop = ip.user_ns["shop"]
    assert isinstance(shop, Design) and shop.name == "shop"

    html = ran.last("text/html")
    for service in shop.services:
        assert f"<code>{service.name}</code>" in html
    assert "<svg" in html and "<?xml" not in html
    assert "Tradeoffs: language" in html and "Tradeoffs: database" in html
    assert "weighted_total" in html
    assert "Review of shop" in html
    taken = shop.assumptions + shop.capacity.assumptions
    assert taken and all(str(escape(a)) in html for a in taken)
    assert ran.last("text/plain").startswith("shop: ")
    assert "```mermaid" in ran.last("text/markdown")
    assert Design.model_validate(ran.last(DESIGN_MIME)) == shop

    # Only the history store is written.
    written = sorted(p.relative_to(in_tmp).as_posix() for p in in_tmp.rglob("*") if p.is_file())
    assert written == [".dwarf/designs.db"]
    assert Store(".dwarf/designs.db").load("shop") == shop


def test_progress_line_updates_in_place_and_is_replaced_by_the_design(ip):
    ran = shop_cell(ip)
    assert ran.error is None
    first = ran.outputs[0]
    display_id = first.transient["display_id"]
    assert not first.update and "designing shop with the offline backend" in first.data["text/plain"]
    later = ran.outputs[1:]
    assert later and all(o.update and o.transient["display_id"] == display_id for o in later)
    assert "text/html" in later[-1].data and "<svg" in later[-1].data["text/html"]


def test_an_identical_cell_run_again_adds_no_version(ip):
    assert shop_cell(ip).error is None
    again = shop_cell(ip)
    assert again.error is None
    assert again.last("text/plain").startswith("unchanged: shop v1 already holds this design")
    assert [v.version for v in Store(".dwarf/designs.db").history("shop")] == [1]


def test_versions_survive_a_kernel_restart(ip):
    assert shop_cell(ip).error is None
    assert run(ip, f"%%dwarf shop\n{SHOP}\nThe team also knows Go.").error is None
    ip.reset(new_session=False)
    load(ip)  # a new DwarfMagics instance, as after a restart

    history = run(ip, "%dwarf history shop")
    assert history.error is None
    lines = history.last("text/plain").splitlines()
    assert [line.split()[0] for line in lines] == ["v1", "v2"]
    shown = run(ip, "%dwarf show shop@v1")
    assert shown.error is None and "v1" in shown.last("text/html")
    assert "shop" in run(ip, "%dwarf list").last("text/plain")


def test_output_variable_and_derived_name(ip):
    assert shop_cell(ip, "shop -o first").error is None
    assert isinstance(ip.user_ns["first"], Design) and "shop" not in ip.user_ns
    ran = run(ip, f"%%dwarf\n{SHOP}")
    assert ran.error is None
    made = [v for k, v in ip.user_ns.items() if isinstance(v, Design) and k != "first"]
    assert len(made) == 1 and ip.user_ns[made[0].name.replace("-", "_")] is made[0]


def test_no_map_flag_leaves_the_map_out(ip):
    ran = shop_cell(ip, "shop --no-map")
    assert ran.error is None
    html = ran.last("text/html")
    assert "<svg" not in html and "Service map" not in html
    assert "```mermaid" not in ran.last("text/markdown")


def test_braces_reach_the_designer_literally(ip):
    text = SHOP + '\nOrders look like {"sku": "A1", "qty": {n}} and ${total} {0}.\n'
    ran = shop_cell(ip, "shop", text)
    assert ran.error is None, ran.stderr
    assert '{"sku": "A1", "qty": {n}} and ${total} {0}.' in ip.user_ns["shop"].requirements


def test_variables_are_interpolated_exactly_once(ip):
    ip.user_ns["audience"] = "50k daily users {{secret}}"
    ip.user_ns["secret"] = "MUST-NOT-APPEAR"
    text = "Online shop for {{ audience }}: catalog, cart, orders, card payments."
    ran = shop_cell(ip, "shop", text)
    assert ran.error is None, ran.stderr
    requirements = ip.user_ns["shop"].requirements
    assert "Online shop for 50k daily users {{secret}}:" in requirements
    assert "MUST-NOT-APPEAR" not in requirements


def test_refine_adds_a_version_with_the_request_as_note(ip):
    assert shop_cell(ip).error is None
    before = ip.user_ns["shop"]
    ran = run(ip, "%%dwarf shop --refine\nadd a notifications service")
    assert ran.error is None, ran.stderr
    assert "notifications" in [s.name for s in ip.user_ns["shop"].services]
    assert "notifications" not in [s.name for s in before.services]
    versions = Store(".dwarf/designs.db").history("shop")
    assert [v.version for v in versions] == [1, 2]
    assert versions[-1].note == "add a notifications service"
    assert run(ip, "%dwarf diff shop").error is None
    # the cell shows what changed above the new version, in every format
    final = ran.bundles[-1]
    assert final["text/html"].startswith("<div class='dwarf-diff'>") and "notifications" in final["text/html"].split("</div>")[0]
    assert final["text/markdown"].startswith("### Changes: shop v1 → shop v2")
    assert final["text/plain"].startswith("shop v1 → shop v2") and "notifications" in final["text/plain"].split("\n\n")[0]


def test_a_long_change_request_is_kept_whole_and_shown_short(ip):
    assert shop_cell(ip).error is None
    request = "add a notifications service that sends order updates by email and push " * 4
    assert run(ip, f"%%dwarf shop --refine\n{request}").error is None
    assert Store(".dwarf/designs.db").history("shop")[-1].note == " ".join(request.split())
    shown = run(ip, "%dwarf history shop").last("text/plain")
    assert "…" in shown and " ".join(request.split()) not in shown


# -- errors: one UsageError line each, never a traceback -----------------------------


def test_whitespace_only_cell(ip):
    assert "empty" in run(ip, "%%dwarf shop\n   \n\t\n").usage_error()


def test_unknown_variable_is_named(ip):
    message = run(ip, "%%dwarf shop\nA shop in {{region}} for many users").usage_error()
    assert "{{region}}" in message


def test_bad_option_shows_the_usage(ip):
    message = run(ip, f"%%dwarf shop --colour red\n{SHOP}").usage_error()
    assert "--colour" in message and "--refine" in message and "--no-map" in message


def test_unclosed_quote_in_options(ip):
    assert "options" in run(ip, f"%%dwarf shop -o 'x\n{SHOP}").usage_error()


def test_bad_design_name(ip):
    assert "not a design name" in run(ip, f"%%dwarf Shop!\n{SHOP}").usage_error()


def test_bad_variable_name(ip):
    assert "variable name" in run(ip, f"%%dwarf shop -o class\n{SHOP}").usage_error()


def test_a_keyword_name_needs_an_output_variable(ip):
    assert "-o VAR" in run(ip, f"%%dwarf class\n{SHOP}").usage_error()
    assert run(ip, f"%%dwarf class -o klass\n{SHOP}").error is None
    assert ip.user_ns["klass"].name == "class"


def test_unknown_backend(ip):
    message = run(ip, f"%%dwarf shop --backend telepathy\n{SHOP}").usage_error()
    assert "telepathy" in message and "offline" in message


def test_refine_needs_a_name_and_an_existing_design(ip):
    assert "NAME" in run(ip, "%%dwarf --refine\nadd a cache").usage_error()
    assert "no design named 'ghost'" in run(ip, "%%dwarf ghost --refine\nadd a cache").usage_error()


def test_unknown_refine_request(ip):
    assert shop_cell(ip).error is None
    message = run(ip, "%%dwarf shop --refine\nplease make it feel more purple").usage_error()
    assert "please make it feel more purple" in message
    assert len(Store(".dwarf/designs.db").history("shop")) == 1


def test_failed_cell_leaves_no_progress_line_behind(ip):
    ran = run(ip, f"%%dwarf shop --backend telepathy\n{SHOP}")
    ran.usage_error()
    assert ran.outputs[-1].data == {"text/plain": ""}


def test_loading_the_extension_imports_nothing_heavy(in_tmp):
    # %load_ext must stay fast: the designer's libraries load when a cell needs them.
    probe = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from traitlets.config import Config\n"
        "c = Config(); c.HistoryManager.hist_file = ':memory:'\n"
        "InteractiveShell.instance(config=c).run_line_magic('load_ext', 'dwarf_nb')\n"
        "heavy = ('pandas', 'pydantic', 'diagrams', 'graphviz', 'anthropic', 'jinja2', 'dwarf_nb.design')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
