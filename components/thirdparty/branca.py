"""branca's element internals, used in this module only (written against branca 0.8.2, under folium 0.20.0).

branca keeps an element's children in the private `_children` and its id in `_id`, and offers no public way to
walk a map's elements or to choose their ids. The hub map needs both: to list the elements that load scripts and
stylesheets (the files the map component must load), and to number the elements in order, so that the same map
always renders to the same text. Its custom elements also replace MacroElement.render (see ScriptElement), which
relies on how branca renders a figure. tests/test_thirdparty_maps.py checks each of these on the installed version.

Not here, because it is folium's public extension pattern (its documentation defines custom elements so): a
MacroElement subclass with `_template = Template(...)` whose macros name their parent with `this._parent.get_name()`.
"""

from __future__ import annotations

from collections.abc import Iterator

from branca.element import Element, Figure, MacroElement


def walk(element: Element) -> Iterator[Element]:
    """The element and every element under it, depth first, in the order they were added."""
    yield element
    for child in list(element._children.values()):
        yield from walk(child)


def number_ids(root: Element) -> None:
    """Give the element and every element under it an id by position (0000, 0001, ...) instead of branca's random one.

    An element's id is part of its JavaScript variable name, so the same map then renders to the same text."""
    for i, element in enumerate(walk(root)):
        element._id = f"{i:04x}"


class FinalText(Element):
    """Text that is already final: rendered as it is.

    A plain Element(text) is a Jinja template: compiled when made and evaluated when rendered."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class ScriptElement(MacroElement):
    """A MacroElement with a `script` macro only, and no child elements, whose script text is final.

    MacroElement.render adds each macro's output to the figure as Element(output): a new Jinja template, compiled
    and evaluated again (for 10 000 hubs, a template of a megabyte; and release text that looked like Jinja syntax
    would be evaluated). This render adds the same text to the figure's script, as it is.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can be rendered only inside a Figure")
        figure.script.add_child(FinalText(self._template.module.script(self, kwargs)), name=self.get_name())
