"""Sphinx extension for the book's HTML: remove duplicated inline scripts.

sphinx-thebe 0.3 registers its inline configuration script
(``const THEBE_JS_URL = ...``) after the HTML builder has started; Sphinx 7.4
then emits it twice (once from the registry with ``filename=''``, once from
the builder with ``filename=None``), and the second copy raises
"Identifier 'THEBE_JS_URL' has already been declared" in every page. This
extension keeps only the first of identical scripts. Loaded from
``_config.yml`` (``sphinx: local_extensions``).
"""

from __future__ import annotations


def _key(script):
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


def setup(app):
    # Run after the other html-page-context handlers (myst-nb, mathjax).
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
