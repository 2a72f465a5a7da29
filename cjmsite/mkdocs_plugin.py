"""An MkDocs plugin: journey maps inside an MkDocs site, and the full cjmsite site beside it.

    plugins:
      - cjmsite:
          project: journeys        # the cjmsite project folder, from mkdocs.yml's folder
          site_dir: journeys/      # where the full site goes inside MkDocs' site

A fenced block ```` ```cjm-map ```` holding `journey: <id>` becomes that journey's map:
the inline SVG with its styles, the accessible table twin, and links into the full site.
The map is light or dark as the MkDocs theme is (Material's palette toggle included); with
the plain theme it stays light. Content problems fail `mkdocs build` with cjmsite's own
`path:line:` messages, and `mkdocs serve` rebuilds when journey files change. Needs the
`mkdocs` extra: pip install 'cjmsite[mkdocs]'."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from cjmsite import model, urls
from cjmsite.commands.check import check
from cjmsite.i18n import translator
from cjmsite.mapsvg.blocks import Context
from cjmsite.mapsvg.draw import draw_map, map_css
from cjmsite.mapsvg.lanes import TABLE_LANES

_BLOCK = re.compile(r"^(?P<fence>```|~~~)\s*cjm-map\s*\n(?P<body>.*?)^(?P=fence)\s*$",
                    re.MULTILINE | re.DOTALL)
_SITE_DIR = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_LIGHT = re.compile(r"^\.cjm-map\{(--[^}]*)\}", re.MULTILINE)
_DARK = re.compile(r"@media \(prefers-color-scheme:dark\)\{\.cjm-map\{(--[^}]*)\}\}")


class _Options(base.Config):
    project = opt.Type(str, default="journeys")
    site_dir = opt.Type(str, default="journeys/")


class CjmsitePlugin(BasePlugin[_Options]):
    def __init__(self) -> None:
        self.root = Path()
        self.site = model.Site()
        self.language = "en"
        self.labels: dict[str, str] = {}
        self.embeds = 0  # maps on the page so far: each box gets an id of its own

    def on_config(self, config: Any) -> Any:
        folder = self.config.site_dir.strip("/")
        if not _SITE_DIR.fullmatch(folder) or ".." in folder.split("/"):
            # it becomes a folder inside MkDocs' site and part of every map's links
            raise PluginError(f"cjmsite: site_dir {self.config.site_dir!r} must be a folder "
                              "inside the MkDocs site: letters, digits, '.', '_', '-', "
                              "'/' (such as 'journeys/'), no '..'")
        self.root = (Path(config.config_file_path).parent / self.config.project).resolve()
        result = check(self.root)
        errors = [str(d) for d in result.report.sorted() if d.level == "error"]
        if errors:
            raise PluginError("cjmsite: the journeys do not build:\n" + "\n".join(errors))
        self.site = result.site
        self.language = result.project.config.language
        self.labels = result.project.config.labels
        self.closed_gaps = result.project.config.closed_gaps
        return config

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        depth = page.url.count("/") if page.url else 0
        prefix = "../" * depth + self.config.site_dir.strip("/") + "/"
        self.embeds = 0

        def embed(match: re.Match[str]) -> str:
            fields = dict(re.findall(r"^\s*(\w+)\s*:\s*(.+?)\s*$", match.group("body"),
                                     re.MULTILINE))
            journey_id = fields.get("journey", "").strip("'\"")
            if journey_id not in self.site.journeys:
                raise PluginError(f"{page.file.src_uri}: cjm-map: unknown journey "
                                  f"'{journey_id}' (journeys: "
                                  f"{', '.join(self.site.journeys) or 'none'})")
            return "\n" + self._map(self.site.journeys[journey_id], prefix) + "\n"

        return _BLOCK.sub(embed, markdown)

    def _map(self, journey: model.Journey, prefix: str) -> str:
        t = translator(self.language, self.labels)
        svg = draw_map(journey, self.site, self.language, t, root=prefix,
                       closed_gaps=self.closed_gaps).svg
        page = escape(prefix + urls.journey(journey))
        svg = svg.replace('xlink:href="index.html#', f'xlink:href="{page}#')
        ctx = Context(self.site, self.language, t, prefix, self.closed_gaps)
        head = "".join(f"<th scope=\"col\">{escape(t(lane.key))}</th>" for lane in TABLE_LANES)
        rows = "".join(
            f"<tr><th scope=\"row\"><a href=\"{page}#stage-{s.slug}\">{escape(s.title)}</a>"
            f"</th>{''.join(f'<td>{lane.table(s, ctx)}</td>' for lane in TABLE_LANES)}</tr>"
            for s in journey.stages)
        self.embeds += 1
        box = f"cjm-map-{self.embeds}-{journey.slug}"
        # The full site's map.js fits the map or scrolls it, as on a journey page: the
        # same button, the same sticky labels (the full site is built beside the docs).
        return str(Markup(
            '<div class="cjm-embed"><style>{css}</style>'
            '<p class="cjm-embed-tools"><button type="button" data-fit="{box}" '
            'data-fit-label="{fit}" data-actual="{actual}" aria-controls="{box}" hidden>'
            "{fit}</button></p>"
            '<div class="cjm-embed-scroll map-scroll" id="{box}" tabindex="0" role="region" '
            'aria-label="{label}">'
            "{svg}</div><details><summary>{table}</summary><div class=\"cjm-embed-scroll\">"
            "<table><thead><tr><th scope=\"col\">{stage}</th>{head}</tr></thead>"
            "<tbody>{rows}</tbody></table></div></details>"
            '<p><a href="{page}">{open}: {title}</a></p>'
            '<script src="{script}" defer></script></div>').format(
            css=Markup(embed_css()), label=f"{t('map')}: {journey.title}", svg=Markup(svg),
            table=t("map_table"), stage=t("stage"), head=Markup(head), rows=Markup(rows),
            page=page, open=t("view_journey"), title=journey.title, box=box,
            fit=t("fit_width"), actual=t("actual_size"), script=f"{prefix}assets/map.js"))

    def on_post_build(self, config: Any) -> None:
        from cjmsite.commands.build import build
        from cjmsite.output import OutputError

        output = Path(config.site_dir) / self.config.site_dir.strip("/")
        try:
            result = build(self.root, output=output.resolve())
        except OutputError as exc:
            raise PluginError(f"cjmsite: cannot write the journeys' site: {exc}") from None
        except OSError as exc:
            raise PluginError(f"cjmsite: cannot write the journeys' site into {output}: "
                              f"{exc.strerror or exc}") from None
        if result.output is None:
            raise PluginError("cjmsite: the journeys do not build:\n" + "\n".join(
                str(d) for d in result.report.shown() if d.level == "error"))

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root))  # a saved journey file rebuilds the MkDocs site
        return server


def embed_css() -> str:
    """The map's own styles, then its colours tied to the MkDocs theme instead of the
    system: light by default, dark under Material's dark palette (`slate`)."""
    css = map_css()
    light = ";".join(_LIGHT.findall(css))
    dark = ";".join(_DARK.findall(css))
    return (css + f".cjm-embed .cjm-map{{{light}}}"
            f"[data-md-color-scheme=slate] .cjm-embed .cjm-map{{{dark}}}"
            ".cjm-embed-scroll{overflow-x:auto;max-width:100%}"
            ".cjm-embed-scroll svg{display:block;max-width:none}"
            ".cjm-embed .map-scroll.fit svg{width:100%;height:auto}"
            ".cjm-embed-tools{margin:0 0 .3rem;text-align:right}"
            ".cjm-embed-tools button{font:inherit;font-size:.8rem;padding:.2rem .7rem;"
            "border:1px solid rgba(128,128,128,.6);border-radius:6px;background:transparent;"
            "color:inherit;cursor:pointer}.cjm-embed [hidden]{display:none}"
            ".cjm-embed table{font-size:.75rem;border-collapse:collapse}"
            ".cjm-embed td,.cjm-embed th{vertical-align:top;padding:.3rem .5rem;"
            "border-bottom:1px solid rgba(128,128,128,.35);text-align:left}"
            # Links readable on any theme (the plain theme's light blue is 2.8:1 on white).
            ".cjm-embed a{color:#0b57d0}[data-md-color-scheme=slate] .cjm-embed a"
            "{color:#8ab4f8}")
