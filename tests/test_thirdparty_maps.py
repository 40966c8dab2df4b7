"""The map's third-party internals (components/thirdparty/streamlit_folium.py and branca.py) still behave as relied on.

One section per package. Each checks that the installed version is the one constraints.txt pins and the module
names as the one it was written against, and that each internal it uses still does what the module relies on, so
an upgrade that changes one fails here, loudly, instead of leaving a blank map.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import folium
import pytest
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from streamlit.testing.v1 import AppTest

from components.thirdparty import branca as branca_internals
from components.thirdparty import streamlit_folium as sf_internals

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "data" / "releases" / "1.1.0"


def pinned(package: str) -> str:
    """The version constraints.txt pins for a package."""
    found = re.search(rf"^{re.escape(package)}==([^\s;#]+)", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE | re.IGNORECASE)
    assert found, f"constraints.txt does not pin {package}"
    return found[1]


@pytest.mark.parametrize(
    ("module", "package"),
    [(sf_internals, "streamlit-folium"), (sf_internals, "streamlit"), (branca_internals, "branca"), (branca_internals, "folium")],
    ids=["streamlit-folium", "streamlit", "branca", "folium"],
)
def test_the_installed_version_is_the_pinned_one_the_module_was_written_against(module, package):
    installed = version(package)
    assert installed == pinned(package), f"{package} {installed} is installed, constraints.txt pins {pinned(package)}"
    assert f"{package} {installed}" in module.__doc__, (
        f"{module.__name__} was not written against {package} {installed}: check every internal it uses on this version "
        "(this file's tests), then name the version in its docstring"
    )


# ---------------------------------------------------------------------------------------------------
# streamlit-folium (components/thirdparty/streamlit_folium.py): its component, fed a payload rendered once


def map_app(release_path: str, way: str) -> None:
    """One map sent one of two ways: "st_folium" (streamlit-folium renders the map and sends it) or "draw" (ours:
    payload() renders it once, draw() sends it). One script for both, as Streamlit's widget id depends on the script."""
    from components.hubmap import MapSpec, build_map
    from pakcoe import load_release

    release = load_release(release_path)
    m = build_map(MapSpec("national", release.hubs, release))
    if way == "st_folium":
        from streamlit_folium import st_folium

        st_folium(m, key="hubmap", height=560, use_container_width=True, returned_objects=["last_object_clicked"])
    else:
        from components.thirdparty import streamlit_folium

        streamlit_folium.draw(streamlit_folium.payload(m), key="hubmap", height=560, returned_objects=["last_object_clicked"])


def sent(way: str) -> dict:
    """What map_app sent to the browser for its one component: the component, its arguments and its widget id."""
    at = AppTest.from_function(map_app, kwargs={"release_path": str(RELEASE), "way": way}, default_timeout=60).run()
    assert not at.exception
    [component] = at.get("component_instance")
    proto = component.proto
    return {"name": proto.component_name, "url": proto.url, "id": proto.id, "form": proto.form_id, "args": json.loads(proto.json_args)}


def test_draw_sends_exactly_what_st_folium_sends():
    """Every argument, in value (script, header, html, links, defaults, hashed key) and the widget id derived from them."""
    theirs, ours = sent("st_folium"), sent("draw")
    assert ours["args"].keys() == theirs["args"].keys()
    different = [k for k in theirs["args"] if ours["args"][k] != theirs["args"][k]]
    assert not different, f"draw() and st_folium() differ in {different}"
    assert ours == theirs
    assert theirs["name"] == "streamlit_folium.st_folium"  # the browser tests find the map's iframe by this title


def test_a_branca_colormap_is_refused_as_st_folium_would_load_d3_from_a_cdn():
    import branca.colormap

    m = folium.Map()
    branca.colormap.LinearColormap(["red", "blue"]).add_to(m)
    with pytest.raises(ValueError, match="d3"):
        sf_internals.payload(m)


def test_the_component_can_be_registered_with_a_running_server_after_an_import_outside_a_script_run():
    """_ensure_registered's calls: the runtime's component registry, get_component_path and register_component."""
    import streamlit_folium as sf
    from streamlit.components.lib.local_component_registry import LocalComponentRegistry
    from streamlit.runtime import Runtime

    assert isinstance(vars(Runtime)["component_registry"], property)
    component = sf._component_func
    assert component.name == "streamlit_folium.st_folium" and (Path(component.path) / "index.html").is_file()
    registry = LocalComponentRegistry()
    assert registry.get_component_path(component.name) is None
    registry.register_component(component)
    assert registry.get_component_path(component.name) == component.path


# ---------------------------------------------------------------------------------------------------
# branca (components/thirdparty/branca.py): the element tree, ids, and rendering without a second template pass


class Probe(MacroElement):
    _template = Template("{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.text }};{% endmacro %}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Probe"
        self.text = text


class FinalProbe(branca_internals.ScriptElement):
    _template = Probe._template

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Probe"
        self.text = text


def test_walk_lists_every_element_under_the_map_in_the_order_added():
    m = folium.Map()
    group = folium.FeatureGroup(name="g").add_to(m)
    marker = folium.Marker([30, 70]).add_to(group)
    after = folium.LayerControl().add_to(m)
    elements = list(branca_internals.walk(m))
    assert elements[0] is m and elements.index(group) < elements.index(marker) < elements.index(after)
    assert set(elements) >= {group, marker, after} and len(elements) == len(set(map(id, elements)))


def test_number_ids_names_the_elements_by_position():
    m = folium.Map()
    group = folium.FeatureGroup(name="g").add_to(m)
    branca_internals.number_ids(m)
    assert m.get_name() == "map_0000" and group.get_name().endswith(f"_{list(branca_internals.walk(m)).index(group):04x}")
    assert m.get_root().render().count("map_0000") >= 2  # the id is the one rendered


def test_a_script_element_adds_the_same_script_as_branca_without_a_second_template_pass():
    """For text without template syntax both render the same; for text with it, branca evaluates it again (the reason
    ScriptElement exists: release text is never evaluated as a template) and ScriptElement keeps it."""
    for text, theirs in (('"plain text"', '"plain text"'), ('"{{ 7 * 7 }}"', '"49"')):
        figures = []
        for element in (Probe(text), FinalProbe(text)):
            figure = Figure()
            figure.add_child(element)
            element._id = "0"  # the same name in both figures
            element.render()
            figures.append(figure.script.render().strip())
        assert figures[0] == f"var probe_0 = {theirs};", "branca's MacroElement.render changed: check ScriptElement against it"
        assert figures[1] == f"var probe_0 = {text};"


def test_final_text_renders_as_it_is():
    assert branca_internals.FinalText("{{ 1 + 1 }} {% raw %}").render() == "{{ 1 + 1 }} {% raw %}"
    assert Element("{{ 1 + 1 }}").render() == "2"  # what a plain Element would do
