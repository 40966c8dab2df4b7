"""Memoise Jinja2 template compilation: folium builds many templates from strings at render time.

folium and branca create `jinja2.Template(source)` objects while rendering (tooltips, style maps,
elements), and Jinja compiles each one from scratch: about 10 ms per template, most of the map
page's rerun time. Compilation is a pure function of the environment and the source, so the compiled
code is kept per (environment, source, name, filename, raw) and reused. Rendering output is unchanged
(tests/test_map_render.py compares it with and without the cache).
"""

from __future__ import annotations

import functools

import jinja2

_original_compile = jinja2.Environment.compile
_CACHE_ATTR = "_pakcoe_compile_cache"
_MAX_ENTRIES = 512


@functools.wraps(_original_compile)
def _cached_compile(self, source, name=None, filename=None, raw=False, defer_init=False):
    if not isinstance(source, str):
        return _original_compile(self, source, name, filename, raw, defer_init)
    cache = self.__dict__.setdefault(_CACHE_ATTR, {})
    key = (source, name, filename, raw, defer_init)
    code = cache.get(key)
    if code is None:
        code = _original_compile(self, source, name, filename, raw, defer_init)
        if len(cache) < _MAX_ENTRIES:
            cache[key] = code
    return code


def install() -> None:
    """Switch the memo on (idempotent)."""
    jinja2.Environment.compile = _cached_compile


def uninstall() -> None:
    """Back to Jinja's own compile (used by the test that compares outputs)."""
    jinja2.Environment.compile = _original_compile
